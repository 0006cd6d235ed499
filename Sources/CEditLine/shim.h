// libedit's readline interface, with accessors for its mutable globals (Swift 6 cannot touch them directly)
// and a SIGINT handler that only raises a flag, so that Ctrl-C interrupts reading and long runs alike.
#ifndef ADAMLAB_CEDITLINE_SHIM_H
#define ADAMLAB_CEDITLINE_SHIM_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <pthread.h>
#include <locale.h>
#include <editline/readline.h>

static volatile sig_atomic_t adamlab_interrupted = 0;

static void adamlab_on_sigint(int sig) { (void)sig; adamlab_interrupted = 1; }

/// Installs the flag-raising SIGINT handler, without SA_RESTART so that a blocked read returns.
static inline void adamlab_install_sigint(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = adamlab_on_sigint;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    // A parent may have left SIGINT blocked (the mask is inherited across exec); Ctrl-C must reach us.
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    pthread_sigmask(SIG_UNBLOCK, &set, NULL);
}

static inline int adamlab_take_interrupt(void) {
    int was = adamlab_interrupted;
    adamlab_interrupted = 0;
    return was;
}

static inline int adamlab_peek_interrupt(void) { return adamlab_interrupted; }

static inline void adamlab_set_locale(void) { setlocale(LC_ALL, ""); setlocale(LC_NUMERIC, "C"); }

static inline void adamlab_rl_set_catch_signals(int on) { rl_catch_signals = on; }

static inline void adamlab_rl_set_completion(rl_completion_func_t *f) {
    rl_attempted_completion_function = f;
    rl_completion_append_character = ' ';
    rl_basic_word_break_characters = " \t=";
}

static inline const char *adamlab_rl_line_buffer(void) { return rl_line_buffer; }

#endif
