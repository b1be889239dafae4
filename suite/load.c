/* suite/load.c -- reading a suite: the directory walk (which files are
 * scenario files, and their order), a single file given as a buffer, and
 * the suite digest over the files read. See suite.h for the contract and
 * README.md ("Layout", "Load order and the suite digest") for the rules.
 *
 * What a file holds is checked by fixture.c and scenario.c; this file only
 * finds, reads and hashes the files, fixtures.json first. */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "internal.h"

#define MAX_DEPTH 16 /* directory nesting below the suite root */

static void hash_file(struct suite *s, const char *name, const char *data, size_t len)
{
    ac_sha256_update(&s->hash, name, strlen(name) + 1);
    ac_sha256_update(&s->hash, data, len);
}

/* "suite/04/4040402.json" -> "suite/fixtures.json": the fixtures file of
 * the suite a scenario file belongs to. */
static int fixtures_name_for(const char *name, struct ac_buf *out)
{
    const char *slash = strrchr(name, '/');
    size_t dlen = slash ? (size_t)(slash - name) : 0;

    if (suite_service_dir(name, dlen))
        dlen = dlen == 2 ? 0 : dlen - 3;
    if (dlen && ac_buf_add(out, name, dlen) < 0)
        return -1;
    return ac_buf_adds(out, dlen ? "/fixtures.json" : "fixtures.json");
}

struct suite *suite_load_file_buffer(const char *name, const char *data, size_t len,
                                     const char *fixtures_json, const struct catalog *cat,
                                     struct ac_error *err)
{
    struct ac_buf fname = AC_BUF_INIT;
    struct suite *s = NULL;
    struct loader L = {NULL, cat, err, NULL, NULL, NULL};

    if (fixtures_name_for(name, &fname) < 0) {
        ac_error_nomem(err, NULL);
        goto fail;
    }
    s = suite_new(fname.data, err);
    if (!s)
        goto fail;
    L.s = s;
    if (fixtures_json) {
        L.file = s->fixtures_file;
        hash_file(s, L.file, fixtures_json, strlen(fixtures_json));
        if (suite_load_fixtures(&L, fixtures_json, strlen(fixtures_json)) < 0)
            goto fail;
    }
    L.file = name;
    hash_file(s, name, data, len);
    if (suite_load_scenario_file(&L, data, len) < 0)
        goto fail;
    ac_sha256_hex(&s->hash, s->sha256);
    ac_buf_release(&fname);
    json_decref(L.ids);
    return s;
fail:
    ac_buf_release(&fname);
    json_decref(L.ids);
    suite_free(s);
    return NULL;
}

struct file_list {
    char **rel; /* paths relative to the suite root */
    size_t n;
};

/* Collects every *.json below dir/rel (names starting with '.' skipped:
 * editors' lock and backup files). */
static int walk(const char *root, const char *rel, int depth, struct file_list *fl,
                struct ac_error *err)
{
    struct ac_buf path = AC_BUF_INIT, sub = AC_BUF_INIT;
    struct dirent *de;
    struct stat st;
    DIR *d = NULL;
    int rc = -1;

    if (ac_buf_addf(&path, "%s%s%s", root, rel[0] ? "/" : "", rel) < 0)
        goto nomem;
    if (depth > MAX_DEPTH) {
        ac_error_set(err, AC_ERR_INVALID, path.data, "directories nested more than %d deep",
                     MAX_DEPTH);
        goto out;
    }
    d = opendir(path.data);
    if (!d) {
        ac_error_set(err, AC_ERR_IO, NULL, "cannot open suite directory '%s': %s", path.data,
                     strerror(errno));
        goto out;
    }
    for (;;) {
        size_t nlen;
        errno = 0;
        de = readdir(d);
        if (!de)
            break;
        if (de->d_name[0] == '.')
            continue;
        ac_buf_reset(&sub);
        if (ac_buf_addf(&sub, "%s%s%s", rel, rel[0] ? "/" : "", de->d_name) < 0)
            goto nomem;
        ac_buf_reset(&path);
        if (ac_buf_addf(&path, "%s/%s", root, sub.data) < 0)
            goto nomem;
        if (stat(path.data, &st) < 0) {
            ac_error_set(err, AC_ERR_IO, NULL, "cannot stat '%s': %s", path.data, strerror(errno));
            goto out;
        }
        if (S_ISDIR(st.st_mode)) {
            if (walk(root, sub.data, depth + 1, fl, err) < 0)
                goto out;
            continue;
        }
        nlen = strlen(de->d_name);
        if (!S_ISREG(st.st_mode) || nlen < 5 || strcmp(de->d_name + nlen - 5, ".json") != 0)
            continue;
        {
            char **grown = realloc(fl->rel, (fl->n + 1) * sizeof *grown);
            if (!grown)
                goto nomem;
            fl->rel = grown;
            fl->rel[fl->n] = ac_buf_take(&sub);
            if (!fl->rel[fl->n])
                goto nomem;
            fl->n++;
        }
    }
    if (errno) {
        ac_error_set(err, AC_ERR_IO, NULL, "cannot read suite directory '%s': %s", root,
                     strerror(errno));
        goto out;
    }
    rc = 0;
    goto out;
nomem:
    ac_error_nomem(err, NULL);
out:
    if (d)
        closedir(d);
    ac_buf_release(&path);
    ac_buf_release(&sub);
    return rc;
}

static int is_service_file(const char *rel)
{
    return suite_service_dir(rel, 2) && rel[2] == '/' && !strchr(rel + 3, '/');
}

static int read_file(struct loader *L, const char *path, struct ac_buf *out)
{
    struct stat st;

    if (stat(path, &st) == 0 && st.st_size > (off_t)SUITE_MAX_FILE_BYTES)
        return suite_too_big(L, (size_t)st.st_size);
    ac_buf_reset(out);
    return ac_file_read(path, SUITE_MAX_FILE_BYTES, out, L->err);
}

struct suite *suite_load(const char *dir, const struct catalog *cat, struct ac_error *err)
{
    struct file_list fl = {NULL, 0};
    struct ac_buf root = AC_BUF_INIT, path = AC_BUF_INIT, data = AC_BUF_INIT;
    struct loader L = {NULL, cat, err, NULL, NULL, NULL};
    struct suite *s = NULL;
    size_t i;
    int ok = 0;

    if (ac_buf_adds(&root, dir) < 0)
        goto nomem;
    /* "suite/" and "suite" name the same files in messages. */
    while (root.len > 1 && root.data[root.len - 1] == '/')
        root.data[--root.len] = '\0';
    if (walk(root.data, "", 0, &fl, err) < 0)
        goto out;
    if (fl.n > 1)
        qsort(fl.rel, fl.n, sizeof *fl.rel, suite_cmp_str);
    for (i = 0; i < fl.n; i++) {
        if (strcmp(fl.rel[i], "fixtures.json") == 0 || is_service_file(fl.rel[i]))
            continue;
        ac_buf_reset(&path);
        if (ac_buf_addf(&path, "%s/%s", root.data, fl.rel[i]) < 0)
            goto nomem;
        ac_error_set(err, AC_ERR_INVALID, path.data,
                     "misplaced JSON file (expected <NN>/<code>.json or fixtures.json in the "
                     "suite directory)");
        goto out;
    }
    if (ac_buf_addf(&path, "%s/fixtures.json", root.data) < 0)
        goto nomem;
    s = suite_new(path.data, err);
    if (!s)
        goto out;
    L.s = s;
    /* fixtures.json first: the scenarios refer to it. */
    for (i = 0; i < fl.n; i++) {
        if (strcmp(fl.rel[i], "fixtures.json") != 0)
            continue;
        L.file = s->fixtures_file;
        if (read_file(&L, L.file, &data) < 0)
            goto out;
        hash_file(s, fl.rel[i], data.data, data.len);
        if (suite_load_fixtures(&L, data.data, data.len) < 0)
            goto out;
    }
    for (i = 0; i < fl.n; i++) {
        if (strcmp(fl.rel[i], "fixtures.json") == 0)
            continue;
        ac_buf_reset(&path);
        if (ac_buf_addf(&path, "%s/%s", root.data, fl.rel[i]) < 0)
            goto nomem;
        L.file = path.data;
        if (read_file(&L, L.file, &data) < 0)
            goto out;
        hash_file(s, fl.rel[i], data.data, data.len);
        if (suite_load_scenario_file(&L, data.data, data.len) < 0)
            goto out;
    }
    ac_sha256_hex(&s->hash, s->sha256);
    ok = 1;
    goto out;
nomem:
    ac_error_nomem(err, NULL);
out:
    json_decref(L.ids);
    suite_free_strs(fl.rel, fl.n);
    ac_buf_release(&root);
    ac_buf_release(&path);
    ac_buf_release(&data);
    if (!ok) {
        suite_free(s);
        s = NULL;
    }
    return s;
}
