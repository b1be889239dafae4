/* reference/h_platform.c -- service 00 endpoints of the main document: the
 * token, secret keys, repositories and image builds; plus the image
 * catalogue used by microservices and the favourites extension that makes
 * 4030140 reachable. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define NAME_CHARS "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-"
#define REPO_CHARS "abcdefghijklmnopqrstuvwxyz0123456789._-/"
#define DOCKERFILE_MAX (1024 * 1024)

/* Official images every account may use (GET /microservices/images). */
static const struct {
    long repo_id;
    const char *repo;
    const char *tag;
} public_images[] = {
    {1, "ubuntu", "14.04"}, {1, "ubuntu", "16.04"}, {2, "centos", "7"},  {2, "centos", "6"},
    {3, "nginx", "latest"}, {3, "nginx", "1.10"},   {4, "redis", "3.2"}, {5, "mysql", "5.7"},
};

/* ---- token ---- */

int ref_h_token(struct ref_call *c)
{
    json_t *k = json_object_get(c->body, "app_key"), *s = json_object_get(c->body, "app_secret");
    const struct ref_token *t;
    struct ref_account *a;

    if (ref_absent(k) || ref_absent(s))
        return ref_fail(c, 4000002);
    if (!json_is_string(k) || !json_is_string(s))
        return ref_fail(c, 4000001);
    a = ref_state_login(c->st, json_string_value(k), json_string_value(s));
    if (!a)
        return ref_fail(c, 4040001);
    t = ref_state_token_new(c->st, a, c->now);
    if (!t)
        return ref_fail(c, 5000007);
    return ref_ok(c, 201, json_pack("{s:s, s:s}", "token", t->token, "expires_in", "86399"));
}

/* ---- secret keys ---- */

static void add_base64_lines(struct ac_buf *b, size_t nbytes)
{
    static const char tbl[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    unsigned char raw[3];
    size_t col = 0;

    for (size_t i = 0; i < nbytes; i += 3) {
        ref_random_bytes(raw, 3);
        ac_buf_addc(b, tbl[raw[0] >> 2]);
        ac_buf_addc(b, tbl[((raw[0] & 3) << 4) | (raw[1] >> 4)]);
        ac_buf_addc(b, tbl[((raw[1] & 15) << 2) | (raw[2] >> 6)]);
        ac_buf_addc(b, tbl[raw[2] & 63]);
        col += 4;
        if (col == 64) {
            ac_buf_addc(b, '\n');
            col = 0;
        }
    }
    if (col)
        ac_buf_addc(b, '\n');
}

int ref_h_key_create(struct ref_call *c)
{
    json_t *keys = c->acct->res[REF_K_SECRET_KEYS];
    json_t *v = json_object_get(c->body, "key_name");
    char name[80], fp[64], created[32];
    unsigned char raw[16];
    struct ac_buf pem = AC_BUF_INIT;
    json_t *key;
    long id;

    if (!ref_absent(v) &&
        (!json_is_string(v) || !ref_chars_ok(json_string_value(v), NAME_CHARS, 64)))
        return ref_fail(c, 4000001);
    if (!ref_absent(v) && ref_find_str(keys, "name", json_string_value(v), NULL))
        return ref_fail(c, 4090004);
    if ((long)json_array_size(keys) >= c->cfg->quotas[REF_Q_SECRET_KEYS])
        return ref_fail(c, 4030013);
    id = ref_state_id(c->st);
    if (ref_absent(v))
        snprintf(name, sizeof name, "key-%ld", id);
    else
        snprintf(name, sizeof name, "%s", json_string_value(v));
    ref_random_bytes(raw, sizeof raw);
    for (int i = 0; i < 16; i++)
        snprintf(fp + i * 3, sizeof fp - (size_t)i * 3, i < 15 ? "%02x:" : "%02x", raw[i]);
    ref_timestamp(created, 0);
    ac_buf_adds(&pem, "-----BEGIN RSA PRIVATE KEY-----\n");
    add_base64_lines(&pem, 1190);
    ac_buf_adds(&pem, "-----END RSA PRIVATE KEY-----\n");
    key = json_pack("{s:I, s:s, s:s, s:s, s:s}", "id", (json_int_t)id, "name", name, "fingerprint",
                    fp, "created_at", created, "_pem", pem.data);
    ac_buf_release(&pem);
    json_array_append_new(keys, key);
    return ref_ok(c, 201, ref_public(key));
}

int ref_h_key_list(struct ref_call *c)
{
    return ref_ok(c, 200, ref_public(c->acct->res[REF_K_SECRET_KEYS]));
}

static json_t *key_lookup(struct ref_call *c, size_t *index, long *code)
{
    return ref_find_by_path_id(c, REF_K_SECRET_KEYS, "id", 4000001, 4040005, index, code);
}

int ref_h_key_get(struct ref_call *c)
{
    long code = 0;
    json_t *key = key_lookup(c, NULL, &code);

    if (!key)
        return ref_fail(c, code);
    ref_reply_text(c->reply, 200, "text/plain; charset=utf-8", ref_str(key, "_pem"));
    return 0;
}

int ref_h_key_delete(struct ref_call *c)
{
    long code = 0;
    size_t at;
    json_t *key = key_lookup(c, &at, &code);

    if (!key)
        return ref_fail(c, code);
    json_array_remove(c->acct->res[REF_K_SECRET_KEYS], at);
    return ref_ok(c, 200, NULL);
}

/* ---- repositories ---- */

static int repo_name_ok(const char *s)
{
    size_t n;

    if (!ref_chars_ok(s, REPO_CHARS, 255))
        return 0;
    n = strlen(s);
    if (s[0] == '/' || s[n - 1] == '/' || strstr(s, "//"))
        return 0;
    for (const char *seg = s; seg; seg = strchr(seg, '/') ? strchr(seg, '/') + 1 : NULL)
        if (*seg == '.' || *seg == '-' || *seg == '_')
            return 0;
    return 1;
}

static int tag_ok(const char *s)
{
    return ref_chars_ok(s, NAME_CHARS, 128) && s[0] != '.' && s[0] != '-';
}

/* The list view of a repository: public fields without the tag array. */
static json_t *repo_view(const json_t *repo, int detail)
{
    json_t *v = ref_public(repo);
    json_t *tags = json_object_get(v, "tags");
    size_t n = json_array_size(tags);

    json_object_set_new(v, "tag_count", json_integer((json_int_t)n));
    if (detail) {
        char url[512];
        json_t *last = n ? json_array_get(tags, n - 1) : NULL;
        snprintf(url, sizeof url, "hub.c.163.com/%s/%s%s%s", ref_str(repo, "user_name"),
                 ref_str(repo, "repo_name"), last ? ":" : "", last ? ref_str(last, "name") : "");
        json_object_set_new(v, "download_url", json_string(url));
    } else {
        json_object_del(v, "tags");
    }
    return v;
}

int ref_h_repo_create(struct ref_call *c)
{
    json_t *repos = c->acct->res[REF_K_REPOSITORIES];
    json_t *name = json_object_get(c->body, "repo_name");
    json_t *level = json_object_get(c->body, "open_level");
    json_t *base = json_object_get(c->body, "base_desc");
    json_t *detail = json_object_get(c->body, "detail_desc");
    json_t *ci = json_object_get(c->body, "ci_support");
    char now[32];
    long lv = -1, civ = 0;
    json_t *repo;
    long id;

    if (ref_absent(name) || ref_absent(level) || ref_absent(base) || ref_absent(detail))
        return ref_fail(c, 4000002);
    if (!json_is_string(name) || !repo_name_ok(json_string_value(name)) ||
        !ref_json_long(level, &lv) || (lv != 0 && lv != 1) || !json_is_string(base) ||
        !json_is_string(detail) || json_string_length(base) > 1000 ||
        json_string_length(detail) > 10000 ||
        (!ref_absent(ci) && (!ref_json_long(ci, &civ) || (civ != 0 && civ != 1))) ||
        (civ == 1 && lv != 0))
        return ref_fail(c, 4000001);
    if (ref_find_str(repos, "repo_name", json_string_value(name), NULL))
        return ref_fail(c, 4090005);
    if ((long)json_array_size(repos) >= c->cfg->quotas[REF_Q_REPOSITORIES])
        return ref_fail(c, 4030007);
    id = ref_state_id(c->st);
    ref_timestamp(now, 0);
    repo =
        json_pack("{s:I, s:s, s:s, s:I, s:O, s:O, s:I, s:s, s:s, s:[]}", "repo_id", (json_int_t)id,
                  "user_name", c->acct->cfg.name, "repo_name", json_string_value(name),
                  "open_level", (json_int_t)lv, "base_desc", base, "detail_desc", detail,
                  "ci_support", (json_int_t)civ, "created_at", now, "updated_at", now, "tags");
    json_array_append_new(repos, repo);
    return ref_ok(c, 200, json_pack("{s:I}", "repo_id", (json_int_t)id));
}

/* Reads limit/offset of a list endpoint: limit in (0, max] (or [0, max]
 * with zero_ok), offset >= 0. 1 when valid. */
static int paging(struct ref_call *c, long dflt, long max, long *limit, long *offset)
{
    const char *l = ref_req_query(c->req, "limit"), *o = ref_req_query(c->req, "offset");

    *limit = dflt;
    *offset = 0;
    if (l && (!ref_parse_long(l, limit) || *limit <= 0 || *limit > max))
        return 0;
    if (o && (!ref_parse_long(o, offset) || *offset < 0))
        return 0;
    return 1;
}

int ref_h_repo_list(struct ref_call *c)
{
    json_t *repos = c->acct->res[REF_K_REPOSITORIES], *list;
    long limit, offset;

    if (!paging(c, 20, 30, &limit, &offset))
        return ref_fail(c, 4000001);
    list = json_array();
    for (size_t i = (size_t)offset;
         i < json_array_size(repos) && (long)json_array_size(list) < limit; i++)
        json_array_append_new(list, repo_view(json_array_get(repos, i), 0));
    return ref_ok(
        c, 200,
        json_pack("{s:I, s:o}", "total", (json_int_t)json_array_size(repos), "repositories", list));
}

static json_t *repo_by_id(struct ref_call *c, size_t *index, long *code)
{
    return ref_find_by_path_id(c, REF_K_REPOSITORIES, "repo_id", 4000001, 4040004, index, code);
}

int ref_h_repo_get(struct ref_call *c)
{
    long code = 0;
    json_t *repo = repo_by_id(c, NULL, &code);

    if (!repo)
        return ref_fail(c, code);
    return ref_ok(c, 200, repo_view(repo, 1));
}

int ref_h_repo_update(struct ref_call *c)
{
    json_t *level = json_object_get(c->body, "open_level");
    json_t *base = json_object_get(c->body, "base_desc");
    json_t *detail = json_object_get(c->body, "detail_desc");
    long lv = 0, code = 0;
    char now[32];
    json_t *repo;

    if ((!ref_absent(level) && (!ref_json_long(level, &lv) || (lv != 0 && lv != 1))) ||
        (!ref_absent(base) && !json_is_string(base)) ||
        (!ref_absent(detail) && !json_is_string(detail)))
        return ref_fail(c, 4000001);
    repo = repo_by_id(c, NULL, &code);
    if (!repo)
        return ref_fail(c, code);
    if (!ref_absent(level)) {
        if (lv == 1 && ref_int(repo, "ci_support") == 1)
            return ref_fail(c, 4000001);
        json_object_set_new(repo, "open_level", json_integer(lv));
    }
    if (!ref_absent(base))
        json_object_set(repo, "base_desc", base);
    if (!ref_absent(detail))
        json_object_set(repo, "detail_desc", detail);
    ref_timestamp(now, 0);
    json_object_set_new(repo, "updated_at", json_string(now));
    return ref_ok(c, 200, NULL);
}

int ref_h_repo_delete(struct ref_call *c)
{
    long code = 0;
    size_t at;
    json_t *repo = repo_by_id(c, &at, &code);
    long id;

    if (!repo)
        return ref_fail(c, code);
    /* Unlike deleting one tag, deleting the whole repository is allowed
     * while a build runs, so that teardown right after a build works. */
    id = ref_int(repo, "repo_id");
    json_array_remove(c->acct->res[REF_K_REPOSITORIES], at);
    /* Favourites of a repository that no longer exists go with it. */
    for (size_t i = 0; i < c->st->n_accounts; i++) {
        size_t fi;
        if (ref_find_int(c->st->accounts[i].res[REF_K_FAVORITES], "repo_id", id, &fi))
            json_array_remove(c->st->accounts[i].res[REF_K_FAVORITES], fi);
    }
    return ref_ok(c, 200, NULL);
}

/* A repository of another account, by id. */
static json_t *foreign_repo(struct ref_call *c, long id)
{
    for (size_t i = 0; i < c->st->n_accounts; i++) {
        struct ref_account *a = &c->st->accounts[i];
        json_t *repo;
        if (a == c->acct)
            continue;
        repo = ref_find_int(a->res[REF_K_REPOSITORIES], "repo_id", id, NULL);
        if (repo)
            return repo;
    }
    return NULL;
}

int ref_h_favorite_add(struct ref_call *c)
{
    json_t *favs = c->acct->res[REF_K_FAVORITES], *repo;
    long id;

    if (!ref_parse_long(c->p[0], &id))
        return ref_fail(c, 4000001);
    if (ref_find_int(c->acct->res[REF_K_REPOSITORIES], "repo_id", id, NULL))
        return ref_fail(c, 4000001); /* one's own repositories need no favourite */
    repo = foreign_repo(c, id);
    if (!repo || ref_int(repo, "open_level") != 1)
        return ref_fail(c, 4040004);
    if (!ref_find_int(favs, "repo_id", id, NULL))
        json_array_append_new(favs, json_pack("{s:I, s:s, s:s}", "repo_id", (json_int_t)id,
                                              "user_name", ref_str(repo, "user_name"), "repo_name",
                                              ref_str(repo, "repo_name")));
    return ref_ok(c, 200, NULL);
}

int ref_h_favorite_delete(struct ref_call *c)
{
    size_t at;
    long id;

    if (!ref_parse_long(c->p[0], &id))
        return ref_fail(c, 4000001);
    if (!ref_find_int(c->acct->res[REF_K_FAVORITES], "repo_id", id, &at))
        return ref_fail(c, 4040004);
    json_array_remove(c->acct->res[REF_K_FAVORITES], at);
    return ref_ok(c, 200, NULL);
}

/* ---- tags and builds ---- */

int ref_h_tag_delete(struct ref_call *c)
{
    json_t *repo = ref_find_str(c->acct->res[REF_K_REPOSITORIES], "repo_name", c->p[0], NULL);
    json_t *tag;
    size_t at;

    if (!repo)
        return ref_fail(c, 4040004);
    tag = ref_find_str(json_object_get(repo, "tags"), "name", c->p[1], &at);
    if (!tag)
        return ref_fail(c, 4040004);
    if (ref_int(tag, "status") == 1)
        return ref_fail(c, 4030012);
    json_array_remove(json_object_get(repo, "tags"), at);
    return ref_ok(c, 200, NULL);
}

void ref_repo_add_tag(json_t *repo, const char *tag, long long now)
{
    json_t *tags = json_object_get(repo, "tags");
    json_t *t = ref_find_str(tags, "name", tag, NULL);

    (void)now;
    if (!t) {
        t = json_object();
        json_object_set_new(t, "name", json_string(tag));
        json_array_append_new(tags, t);
    }
    json_object_set_new(t, "size", json_integer(187 * 1024 * 1024));
    json_object_set_new(t, "status", json_integer(2));
    json_object_del(t, "_next");
    json_object_del(t, "_ready_at");
}

int ref_h_tag_build(struct ref_call *c)
{
    const char *q = ref_req_query(c->req, "docker_file");
    size_t size = 0;
    int found = 0;
    json_t *repo, *tags, *t;

    if (q && *q) {
        found = 1;
        size = strlen(q);
    } else if (c->req->has_body) {
        found = ref_req_form_field(c->req, "docker_file", &size);
        if (found < 0)
            return ref_fail(c, 4220001);
    }
    if (!found)
        return ref_fail(c, 4000002);
    if (size == 0 || size > DOCKERFILE_MAX || !tag_ok(c->p[1]))
        return ref_fail(c, 4000001);
    repo = ref_find_str(c->acct->res[REF_K_REPOSITORIES], "repo_name", c->p[0], NULL);
    if (!repo)
        return ref_fail(c, 4040004);
    tags = json_object_get(repo, "tags");
    t = ref_find_str(tags, "name", c->p[1], NULL);
    if (t && ref_int(t, "status") == 1)
        return ref_fail(c, 4030012);
    if (!t && (long)json_array_size(tags) >= c->cfg->quotas[REF_Q_TAGS])
        return ref_fail(c, 4030008);
    if (!t) {
        t = json_object();
        json_object_set_new(t, "name", json_string(c->p[1]));
        json_array_append_new(tags, t);
    }
    json_object_set_new(t, "status", json_integer(1));
    ref_schedule(t, c->now, c->cfg->async_ms, json_integer(2));
    json_object_set_new(t, "size", json_integer((json_int_t)(size * 4096 + 64 * 1024 * 1024)));
    return ref_ok(c, 200, NULL);
}

/* ---- images ---- */

static json_t *image_entry(long repo_id, const char *owner, const char *repo, const char *tag)
{
    char path[600];

    snprintf(path, sizeof path, "hub.c.163.com/%s/%s:%s", owner, repo, tag);
    return json_pack("{s:s, s:I, s:s, s:s}", "tag", tag, "repo_id", (json_int_t)repo_id,
                     "repo_name", repo, "image_path", path);
}

static void add_built_tags(json_t *list, const json_t *repo)
{
    size_t i;
    json_t *t;

    json_array_foreach (json_object_get(repo, "tags"), i, t) {
        if (ref_int(t, "status") == 2)
            json_array_append_new(list,
                                  image_entry(ref_int(repo, "repo_id"), ref_str(repo, "user_name"),
                                              ref_str(repo, "repo_name"), ref_str(t, "name")));
    }
}

int ref_h_svc_images(struct ref_call *c)
{
    json_t *custom = json_array(), *pub = json_array();
    size_t i;
    json_t *o;

    json_array_foreach (c->acct->res[REF_K_REPOSITORIES], i, o)
        add_built_tags(custom, o);
    json_array_foreach (c->acct->res[REF_K_FAVORITES], i, o) {
        json_t *repo = foreign_repo(c, ref_int(o, "repo_id"));
        if (repo)
            add_built_tags(custom, repo);
    }
    for (i = 0; i < sizeof public_images / sizeof public_images[0]; i++)
        json_array_append_new(pub, image_entry(public_images[i].repo_id, "public",
                                               public_images[i].repo, public_images[i].tag));
    return ref_ok(c, 200, json_pack("{s:o, s:o}", "custom_images", custom, "public_images", pub));
}

long ref_image_resolve(struct ref_state *st, struct ref_account *acct, const char *path,
                       char *repo_key, size_t repo_key_size)
{
    static const char prefix[] = "hub.c.163.com/";
    char buf[600];
    char *slash, *colon, *owner, *repo, *tag;
    struct ref_account *oa;
    json_t *r, *t;

    if (strncmp(path, prefix, sizeof prefix - 1) != 0 ||
        strlen(path) - (sizeof prefix - 1) >= sizeof buf)
        return 4040129;
    snprintf(buf, sizeof buf, "%s", path + sizeof prefix - 1);
    slash = strchr(buf, '/');
    colon = strrchr(buf, ':');
    if (!slash || !colon || colon < strrchr(buf, '/') || colon[1] == '\0')
        return 4040129;
    *slash = '\0';
    *colon = '\0';
    owner = buf;
    repo = slash + 1;
    tag = colon + 1;
    snprintf(repo_key, repo_key_size, "%s/%s", owner, repo);
    if (strcmp(owner, "public") == 0) {
        for (size_t i = 0; i < sizeof public_images / sizeof public_images[0]; i++)
            if (strcmp(public_images[i].repo, repo) == 0 && strcmp(public_images[i].tag, tag) == 0)
                return 0;
        return 4040129;
    }
    oa = ref_state_account(st, owner);
    r = oa ? ref_find_str(oa->res[REF_K_REPOSITORIES], "repo_name", repo, NULL) : NULL;
    t = r ? ref_find_str(json_object_get(r, "tags"), "name", tag, NULL) : NULL;
    if (!t)
        return 4040129;
    if (oa != acct) {
        int fav = ref_find_int(acct->res[REF_K_FAVORITES], "repo_id", ref_int(r, "repo_id"),
                               NULL) != NULL;
        if (ref_int(r, "open_level") != 1)
            return fav ? 4030140 : 4040129;
    }
    return ref_int(t, "status") == 2 ? 0 : 4030012;
}
