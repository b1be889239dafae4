/* tests/fuzz/fuzz_catalog.c -- libFuzzer target: the catalog loader and its
 * lint must take any bytes without crashing, and what loads obeys the
 * catalog's invariants. */
#include <stdint.h>
#include <stdlib.h>

#include "../../catalog/catalog.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void ignore(void *ud, enum catalog_lint_kind k, long a, long b, const char *t)
{
    (void)ud, (void)k, (void)a, (void)b, (void)t;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct ac_error err = AC_ERROR_INIT;
    struct catalog *c = catalog_load_buffer("fuzz.json", (const char *)data, size, &err);
    size_t i;

    if (c) {
        for (i = 0; i < catalog_count(c); i++) {
            const struct catalog_entry *e = catalog_at(c, i);
            if (e->code < 1000000 || e->code > 9999999 || e->status != e->code / 10000 ||
                !e->message[0] || catalog_find(c, e->code) != e)
                abort();
        }
        catalog_lint(c, ignore, NULL);
    } else if (err.code == AC_ERR_NONE || !err.text[0]) {
        abort(); /* a rejection always says why */
    }
    catalog_free(c);
    return 0;
}
