/* common/sha256.h -- SHA-256 (FIPS 180-4), for identifying the exact catalog
 * and suite a run used. Not for secrets: nothing here is constant-time. */
#ifndef AC_SHA256_H
#define AC_SHA256_H

#include <stddef.h>
#include <stdint.h>

struct ac_sha256 {
    uint32_t h[8];         /* chaining state */
    uint64_t bytes;        /* message length so far */
    unsigned char blk[64]; /* pending partial block */
    size_t n;              /* bytes in blk */
};

void ac_sha256_init(struct ac_sha256 *s);
void ac_sha256_update(struct ac_sha256 *s, const void *data, size_t len);
/* Finishes and writes 64 lower-case hex digits and a NUL into hex. */
void ac_sha256_hex(struct ac_sha256 *s, char hex[65]);
/* One-shot helper. */
void ac_sha256_hex_of(const void *data, size_t len, char hex[65]);

#endif
