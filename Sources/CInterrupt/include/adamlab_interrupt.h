// Ctrl-C as a flag: a SIGINT handler that only raises it, read by the REPL and by long runs.
// The flag is defined once, in interrupt.c, so every module that asks sees the same one.
#ifndef ADAMLAB_INTERRUPT_H
#define ADAMLAB_INTERRUPT_H

/// Installs the flag-raising SIGINT handler (without SA_RESTART, so a blocked read returns) and
/// unblocks SIGINT, which a parent may have left blocked across exec.
void adamlab_install_sigint(void);

/// Whether Ctrl-C was pressed since the flag was last taken.
int adamlab_peek_interrupt(void);

/// Lowers the flag, returning whether it was raised.
int adamlab_take_interrupt(void);

#endif
