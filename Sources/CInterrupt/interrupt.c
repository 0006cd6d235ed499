// The one Ctrl-C flag of the process and the handler that raises it.
#include "adamlab_interrupt.h"

#include <pthread.h>
#include <signal.h>
#include <string.h>

static volatile sig_atomic_t interrupted = 0;

static void on_sigint(int sig) {
    (void)sig;
    interrupted = 1;
}

void adamlab_install_sigint(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigint;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    pthread_sigmask(SIG_UNBLOCK, &set, NULL);
}

int adamlab_peek_interrupt(void) { return interrupted; }

int adamlab_take_interrupt(void) {
    int was = interrupted;
    interrupted = 0;
    return was;
}
