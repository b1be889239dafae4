/* tests/e2efix.c -- see e2efix.h. */
#include "e2efix.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "refproc.h"
#include "testutil.h"

const char *e2e_example(void)
{
    return t_path("%s/tests/data/suite/example", t_root());
}

const char *e2e_tmpfile_path(const char *name)
{
    static char dir[256], paths[32][512];
    static int next;
    char *p = paths[next++ % 32];

    if (!dir[0]) {
        snprintf(dir, sizeof dir, "%s/e2e", t_build());
        mkdir(dir, 0755);
    }
    snprintf(p, sizeof paths[0], "%s/%s", dir, name);
    return p;
}

int e2e_run_example(const char *url, const char *const *extra, char **out, char **err)
{
    const char *args[64] = {"run",
                            "--base-url",
                            url,
                            "--suite",
                            e2e_example(),
                            "--app-key-env",
                            "APICONFORM_APP_KEY",
                            "--app-secret-env",
                            "APICONFORM_APP_SECRET",
                            NULL};
    int n = 9, i;

    for (i = 0; extra && extra[i] && n < 62; i++)
        args[n++] = extra[i];
    args[n] = NULL;
    return apiconform_run(args, out, err);
}

const char *const e2e_all_caps[] = {"--allow",   "all",
                                    "--account", "broke:BROKE_KEY:BROKE_SECRET",
                                    "--account", "other:OTHER_KEY:OTHER_SECRET",
                                    NULL};

void e2e_failed_checks(const char *json_path, char *out, size_t size)
{
    json_t *root = json_load_file(json_path, 0, NULL), *f;
    size_t i;

    out[0] = '\0';
    json_array_foreach (
        json_object_get(json_array_get(json_object_get(root, "results"), 0), "failures"), i, f) {
        snprintf(out + strlen(out), size - strlen(out), "%s,",
                 json_string_value(json_object_get(f, "check")));
    }
    json_decref(root);
}
