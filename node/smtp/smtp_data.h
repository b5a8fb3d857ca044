/*
 * smtp_data.h - the DATA phase's dot-unstuffing (RFC 5321 4.5.2), as an
 * incremental state machine: feed it whatever bytes arrived, any split,
 * and it hands back the message bytes and stops exactly after the
 * terminating "<CRLF>.<CRLF>", so bytes pipelined after it stay unread.
 *
 * No I/O and no allocation: the caller owns both buffers. A line of a
 * lone "." ends the data whether it ends in CRLF or a bare LF; a bare LF
 * elsewhere is passed through (the store normalizes line ends).
 */
#ifndef DUPLEX_SMTP_DATA_H
#define DUPLEX_SMTP_DATA_H

#include <stdbool.h>
#include <stddef.h>

struct smtp_dot {
	int state;
};

/* smtp_dot_init - at the first byte after the 354 reply */
void smtp_dot_init(struct smtp_dot *d);
/*
 * smtp_dot_feed - take bytes of in[0..len) up to and including the end
 * marker; write the unstuffed message bytes to out (room for len + 1
 * bytes) and their count to *outlen. Returns the count of input bytes
 * taken; *done is set once the end marker was taken.
 */
size_t smtp_dot_feed(struct smtp_dot *d, const char *in, size_t len, char *out, size_t *outlen,
    bool *done);

#endif
