/*
 * mono.h - the monotonic clock (CLOCK_MONOTONIC) that timeouts, deadlines
 * and intervals are measured on: it never jumps with the wall clock, and
 * its zero is arbitrary, so only differences between readings mean
 * anything.
 */
#ifndef DUPLEX_MONO_H
#define DUPLEX_MONO_H

#include <stdint.h>

/* mono_ns - now, in nanoseconds */
uint64_t mono_ns(void);
/* mono_ms - now, in whole milliseconds */
uint64_t mono_ms(void);

#endif
