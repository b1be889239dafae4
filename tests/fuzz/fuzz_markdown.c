/* tests/fuzz/fuzz_markdown.c -- libFuzzer target: the Markdown importer.
 * Whatever it accepts must load as a catalog (it validates its own output
 * with the loader; this re-checks). */
#include <stdint.h>
#include <stdlib.h>

#include "../../catalog/catalog.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct ac_error err = AC_ERROR_INIT;
    struct ac_buf out = AC_BUF_INIT;

    if (catalog_import_markdown("fuzz.md", (const char *)data, size, &out, &err) == 0) {
        struct catalog *c = catalog_load_buffer("imported", out.data, out.len, &err);
        if (!c)
            abort();
        catalog_free(c);
    } else if (!err.text[0]) {
        abort();
    }
    ac_buf_release(&out);
    return 0;
}
