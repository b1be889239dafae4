/* tests/fuzz/fuzz_invariants.h -- what every report must hold whatever the
 * input: valid UTF-8 and, for XML, no character XML 1.0 forbids; for HTML,
 * no markup but the writer's own. abort() on a breach, so libFuzzer
 * reports it as a crash. */
#ifndef FUZZ_INVARIANTS_H
#define FUZZ_INVARIANTS_H

#include <stdlib.h>
#include <string.h>

#include "../../common/ac.h"

static inline void fuzz_check_text(const struct ac_buf *b, int xml)
{
    const unsigned char *p = (const unsigned char *)b->data;
    size_t i = 0, k;
    unsigned cp;

    if (!b->data)
        return;
    while (i < b->len) {
        k = ac_utf8_decode(p + i, b->len - i, &cp);
        if (k == 0)
            abort();
        if (xml &&
            ((cp < 0x20 && cp != 0x9 && cp != 0xA && cp != 0xD) || cp == 0xFFFE || cp == 0xFFFF))
            abort();
        i += k;
    }
}

static inline void fuzz_check_html(const struct ac_buf *b)
{
    fuzz_check_text(b, 1);
    /* Server text may say "javascript:" as text; never as an attribute. */
    if (b->data && (strstr(b->data, "<script") || strstr(b->data, "<img") ||
                    strstr(b->data, "=\"javascript:") || strstr(b->data, "='javascript:")))
        abort();
}

#endif
