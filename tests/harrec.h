/* tests/harrec.h -- a small HTTP client that records what it sends and
 * receives as a HAR 1.2 file, the way a browser's devtools would: the
 * real client run against the reference server whose traffic
 * `apiconform check` then judges. libcurl easy interface; one request at a
 * time. Bodies that are not JSON are written base64-encoded (as Chromium
 * writes binary bodies), the rest as text. */
#ifndef HARREC_H
#define HARREC_H

struct harrec; /* opaque */

struct harrec *harrec_new(const char *base_url);
void harrec_free(struct harrec *h);

/* Sends method path (appended to the base URL) with the headers
 * ("Name: value", NULL-ended, may be NULL) and body (NULL: none), and
 * records the exchange. Returns the HTTP status, or -1 when no answer
 * came. When body_out is not NULL it receives the answer body (heap,
 * caller frees). */
int harrec_send(struct harrec *h, const char *method, const char *path, const char *const *headers,
                const char *body, char **body_out);

/* Writes the recorded exchanges as HAR to path. 0 or -1. */
int harrec_write(const struct harrec *h, const char *path);

/* The request set used by the passive tests: a token request, then
 * error answers of several families (unknown path, wrong method, no
 * token, unknown resources, a bad namespace whose message has a catalog
 * typo, bad parameters) and a few successes. Returns the number of
 * exchanges recorded, or -1. */
int harrec_record_sample(struct harrec *h);

#endif
