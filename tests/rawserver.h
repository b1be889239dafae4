/* tests/rawserver.h -- a scripted HTTP server on raw sockets, for tests that
 * need a server to misbehave on purpose (a well-behaved HTTP library cannot:
 * silence, lying lengths, broken framing). It runs in a thread on an
 * ephemeral loopback port and answers every connection with the same
 * script. */
#ifndef RAWSERVER_H
#define RAWSERVER_H

#include <stddef.h>

enum raw_mode {
    RAW_REPLY,       /* read the request, send `reply`, close */
    RAW_SILENT,      /* read the request, send nothing, keep the connection open */
    RAW_CLOSE,       /* accept, then close at once */
    RAW_DRIP,        /* send `reply` one byte every drip_ms */
    RAW_DROP_SECOND, /* as RAW_REPLY, but keep the connection open and read the
                        next request on it; then close it unanswered (a
                        kept-alive connection the server closes just as the
                        client reuses it) */
};

struct raw_script {
    enum raw_mode mode;
    const char *reply; /* raw bytes of the response (may hold NULs: reply_len) */
    size_t reply_len;
    int drip_ms;
    size_t repeat_body; /* RAW_REPLY: after reply, send this many fill bytes (huge bodies) */
    char fill;          /* the byte repeat_body sends; 0 means 'x' */
};

struct rawserver;

/* Starts serving; NULL on failure. */
struct rawserver *rawserver_start(const struct raw_script *script);
/* Serves in RAW_REPLY mode a sequence: the nth request (from 0) is
 * answered with replies[n] (NUL-terminated; borrowed until stopped), the
 * last one again once they run out. NULL on failure. */
struct rawserver *rawserver_start_replies(const char *const *replies, size_t nreplies);
int rawserver_port(const struct rawserver *s);
/* Number of requests read so far. */
int rawserver_requests(const struct rawserver *s);
/* The last request's bytes (headers and body), NUL-terminated; borrowed. */
const char *rawserver_last_request(const struct rawserver *s);
void rawserver_stop(struct rawserver *s);

/* A port on which nothing listens (bound then closed). */
int rawserver_closed_port(void);

#endif
