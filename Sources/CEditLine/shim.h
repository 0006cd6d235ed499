// libedit's readline interface, with accessors for its mutable globals (Swift 6 cannot touch them directly)
#ifndef ADAMLAB_CEDITLINE_SHIM_H
#define ADAMLAB_CEDITLINE_SHIM_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <locale.h>
#include <editline/readline.h>

static inline void adamlab_set_locale(void) { setlocale(LC_ALL, ""); setlocale(LC_NUMERIC, "C"); }

static inline void adamlab_rl_set_catch_signals(int on) { rl_catch_signals = on; }

static inline void adamlab_rl_set_completion(rl_completion_func_t *f) {
    rl_attempted_completion_function = f;
    rl_completion_append_character = ' ';
    rl_basic_word_break_characters = " \t=";
}

static inline const char *adamlab_rl_line_buffer(void) { return rl_line_buffer; }

/// The character added after a lone match: a space, or none after `name=` so the value can follow.
static inline void adamlab_rl_set_append_character(int c) { rl_completion_append_character = c; }

/// 1: no file-name completion when adamlab offers nothing (a number is expected); 0: fall back to it.
static inline void adamlab_rl_set_completion_over(int over) { rl_attempted_completion_over = over; }

#endif
