/* tests/fuzz/fuzz_scenario.c -- libFuzzer target: the scenario loader,
 * against the shipped catalog (loaded once), and the template expansion of
 * whatever loads. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../suite/suite.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct catalog *cat;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct ac_error err = AC_ERROR_INIT;
    struct suite *s;
    size_t i;

    if (!cat) {
        const char *root = getenv("AC_ROOT");
        char path[4096];
        snprintf(path, sizeof path, "%s/catalog/nce-errors.json", root ? root : ".");
        cat = catalog_load(path, &err);
        if (!cat)
            abort();
    }
    s = suite_load_file_buffer("04/4040402.json", (const char *)data, size, NULL, cat, &err);
    if (!s) {
        if (!err.text[0])
            abort();
        return 0;
    }
    for (i = 0; i < suite_count(s); i++) {
        const struct scenario *sc = suite_at(s, i);
        struct vars *v = vars_new();
        struct ac_buf b = AC_BUF_INIT;
        struct ac_error e2 = AC_ERROR_INIT;
        json_t *j;
        if (!catalog_find(cat, sc->code))
            abort();
        vars_set_str(v, "run", "rfuzz");
        vars_set_str(v, "uniq", "rfuzz-1");
        suite_expand(sc->request.path, v, &b, &e2);
        j = sc->request.json ? suite_expand_json(sc->request.json, v, &e2) : NULL;
        json_decref(j);
        ac_buf_release(&b);
        vars_free(v);
    }
    suite_free(s);
    return 0;
}
