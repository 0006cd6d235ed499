// cmark, the CommonMark reference library.
#ifndef ADAMLAB_CCMARK_SHIM_H
#define ADAMLAB_CCMARK_SHIM_H
#include <cmark.h>
#endif
