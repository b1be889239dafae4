/* tests/test_common.c -- common/: error struct, buffer, UTF-8, SHA-256, files. */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../common/ac.h"
#include "../common/ac_json.h"
#include "../common/sha256.h"
#include "testutil.h"

static void test_common_error_first_wins(void)
{
    struct ac_error e = AC_ERROR_INIT;
    char s[600];

    T_EQ_INT(ac_error_set(&e, AC_ERR_IO, "a.json", "first %d", 1), -1);
    ac_error_set(&e, AC_ERR_PARSE, "b.json", "second");
    T_EQ_INT(e.code, AC_ERR_IO);
    T_EQ_STR(ac_error_str(&e, s, sizeof s), "a.json: first 1");
    ac_error_clear(&e);
    T_EQ_INT(e.code, AC_ERR_NONE);
    ac_error_set(&e, AC_ERR_USAGE, NULL, "no where");
    T_EQ_STR(ac_error_str(&e, s, sizeof s), "no where");
}

/* The one wording of a failed allocation; the place goes in where. */
static void test_common_error_nomem(void)
{
    struct ac_error e = AC_ERROR_INIT;
    char s[600];

    T_EQ_INT(ac_error_nomem(&e, "out/report.html"), -1);
    T_EQ_INT(e.code, AC_ERR_NOMEM);
    T_EQ_STR(ac_error_str(&e, s, sizeof s), "out/report.html: out of memory");
}

/* Every loader's JSON errors: FILE:LINE:COLUMN, jansson's words on one
 * line, bad UTF-8 named as such. */
static void test_common_json_parse(void)
{
    struct ac_error e = AC_ERROR_INIT;
    char s[600];
    json_t *j;

    j = ac_json_parse("a.json", "{\"a\": [1, 2]}", 13, AC_JSON_NOT_VALID, &e);
    T_TRUE(json_is_object(j) && e.code == AC_ERR_NONE);
    json_decref(j);
    T_TRUE(ac_json_parse("a.json", "{\"a\": 1, \"a\": 2}", 16, AC_JSON_NOT_VALID, &e) == NULL);
    T_EQ_INT(e.code, AC_ERR_PARSE);
    T_EQ_STR(ac_error_str(&e, s, sizeof s),
             "a.json:1:12: not valid JSON: duplicate object key near '\"a\"'");
    ac_error_clear(&e);
    /* jansson quotes the control byte; the message does not carry it. */
    T_TRUE(ac_json_parse("s.json", "{\"a\": 1\x01}", 9, AC_JSON_INVALID, &e) == NULL);
    T_EQ_STR(ac_error_str(&e, s, sizeof s), "s.json:1:8: invalid JSON: '}' expected near '?'");
    ac_error_clear(&e);
    T_TRUE(ac_json_parse("u.json", "{\"a\": \"\xff\"}", 10, AC_JSON_NOT_VALID, &e) == NULL);
    T_EQ_STR(ac_error_str(&e, s, sizeof s), "u.json:1:7: not valid UTF-8 (unable to decode byte "
                                            "0xff near '\"'); expected UTF-8 text");
    ac_error_clear(&e);
    T_TRUE(ac_json_parse("e.json", "", 0, AC_JSON_NOT_VALID, &e) == NULL);
    T_EQ_STR(ac_error_str(&e, s, sizeof s),
             "e.json:1:0: not valid JSON: '[' or '{' expected near end of file");
}

static void test_common_json_type_names(void)
{
    static const struct {
        const char *text, *word, *name;
    } kinds[] = {
        {"{}", "object", "an object"},           {"[]", "array", "an array"},
        {"\"x\"", "string", "a string"},         {"1", "integer", "an integer"},
        {"1.5", "real number", "a real number"}, {"true", "boolean", "a boolean"},
        {"false", "boolean", "a boolean"},       {"null", "null", "null"},
    };
    size_t i;

    for (i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        json_t *j = json_loads(kinds[i].text, JSON_DECODE_ANY, NULL);

        T_TRUE(j != NULL);
        T_EQ_STR(ac_json_type_word(j), kinds[i].word);
        T_EQ_STR(ac_json_type_name(j), kinds[i].name);
        json_decref(j);
    }
    T_EQ_STR(ac_json_type_word(NULL), "nothing");
    T_EQ_STR(ac_json_type_name(NULL), "nothing");
}

static void test_common_buf(void)
{
    struct ac_buf b = AC_BUF_INIT;
    char *p;
    int i;

    T_EQ_INT(ac_buf_adds(&b, "abc"), 0);
    T_EQ_INT(ac_buf_addc(&b, '\0'), 0);
    T_EQ_INT(ac_buf_addf(&b, "%d-%s", 42, "x"), 0);
    T_EQ_INT(b.len, 8);
    T_TRUE(memcmp(b.data,
                  "abc\0"
                  "42-x",
                  8) == 0);
    T_EQ_INT(b.data[b.len], '\0');
    for (i = 0; i < 10000; i++)
        ac_buf_addc(&b, 'z');
    T_EQ_INT(b.len, 10008);
    ac_buf_reset(&b);
    T_EQ_INT(b.len, 0);
    T_EQ_STR(b.data, "");
    p = ac_buf_take(&b);
    T_EQ_STR(p, "");
    T_TRUE(b.data == NULL);
    free(p);
    p = ac_buf_take(&b); /* nothing added: an empty heap string */
    T_EQ_STR(p, "");
    free(p);
    ac_buf_release(&b);
}

static void test_common_utf8(void)
{
    size_t bad = 99;

    T_TRUE(ac_utf8_valid("plain", 5, NULL));
    T_TRUE(ac_utf8_valid("\xe9\x94\x99\xe8\xaf\xaf", 6, NULL)); /* 错误 */
    T_TRUE(ac_utf8_valid("\xef\xbf\xbf", 3, NULL));             /* U+FFFF is UTF-8 */
    T_TRUE(ac_utf8_valid("\xf0\x90\x80\x80", 4, NULL));         /* U+10000 */
    T_TRUE(ac_utf8_valid("\xf4\x8f\xbf\xbf", 4, NULL));         /* U+10FFFF */
    T_TRUE(!ac_utf8_valid("ab\xff", 3, &bad));
    T_EQ_INT(bad, 2);
    T_TRUE(!ac_utf8_valid("\xc0\xaf", 2, NULL));         /* overlong '/' */
    T_TRUE(!ac_utf8_valid("\xe0\x80\xaf", 3, NULL));     /* overlong, 3 bytes */
    T_TRUE(!ac_utf8_valid("\xed\xa0\x80", 3, NULL));     /* surrogate U+D800 */
    T_TRUE(!ac_utf8_valid("\xf4\x90\x80\x80", 4, NULL)); /* above U+10FFFF */
    T_TRUE(!ac_utf8_valid("\xe9\x94", 2, &bad));         /* cut at the end */
    T_EQ_INT(bad, 0);
}

static void test_common_sha256(void)
{
    char hex[65];
    struct ac_sha256 s;
    int i;

    ac_sha256_hex_of("", 0, hex);
    T_EQ_STR(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    ac_sha256_hex_of("abc", 3, hex);
    T_EQ_STR(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    ac_sha256_hex_of("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56, hex);
    T_EQ_STR(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    ac_sha256_init(&s);
    for (i = 0; i < 1000; i++)
        ac_sha256_update(
            &s,
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
            "aaaaaaaaaaaaaaaaaaaaaaa",
            100);
    ac_sha256_update(&s, "", 0);
    for (i = 0; i < 9000; i++)
        ac_sha256_update(
            &s,
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
            "aaaaaaaaaaaaaaaaaaaaaaa",
            100);
    ac_sha256_hex(&s, hex); /* one million 'a' */
    T_EQ_STR(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

/* Text for a terminal: controls, C1, bidi overrides and bad UTF-8 escaped;
 * other UTF-8 kept as it is. */
static void test_common_terminal_safe(void)
{
    struct ac_buf b = AC_BUF_INIT;
    static const char in[] = "ok \x1b[31m\x07 \xc2\x9b"
                             "1m \xe2\x80\xae \xff caf\xc3\xa9";

    T_EQ_INT(ac_buf_add_terminal_safe(&b, in, sizeof in - 1), 0);
    T_EQ_STR(b.data, "ok \\x1b[31m\\x07 \\u009b1m \\u202e \\xff caf\xc3\xa9");
    ac_buf_release(&b);
}

/* The writers write where the path points: a link's target (the link
 * stays), a FIFO or a descriptor of the process (never replaced by a
 * regular file); and a path that cannot be written is found beforehand. */
static void test_common_write_targets(void)
{
    struct ac_error e = AC_ERROR_INIT;
    char dir[512], link[600], target[600], fifo[600], sub[600], buf[64], *text;
    struct stat st;
    int fds[2];
    ssize_t got;

    snprintf(dir, sizeof dir, "%s/write-targets", t_build());
    snprintf(link, sizeof link, "%s/link.md", dir);
    snprintf(target, sizeof target, "%s/sub/target.md", dir);
    snprintf(sub, sizeof sub, "%s/sub", dir);
    snprintf(fifo, sizeof fifo, "%s/fifo", dir);
    mkdir(dir, 0755);
    mkdir(sub, 0755);
    unlink(link);
    unlink(fifo);
    T_EQ_INT(symlink("sub/target.md", link), 0);
    /* A dangling link: its target is created, the link kept. */
    T_EQ_INT(ac_file_check_writable(link, &e), 0);
    T_EQ_INT(ac_file_write_atomic(link, "one", 3, &e), 0);
    T_TRUE(lstat(link, &st) == 0 && S_ISLNK(st.st_mode));
    text = t_read_file(target, NULL);
    T_EQ_STR(text, "one");
    free(text);
    T_EQ_INT(ac_file_write_atomic(link, "two", 3, &e), 0);
    T_TRUE(lstat(link, &st) == 0 && S_ISLNK(st.st_mode));
    text = t_read_file(target, NULL);
    T_EQ_STR(text, "two");
    free(text);
    /* A FIFO is written into, and stays a FIFO. */
    T_EQ_INT(mkfifo(fifo, 0600), 0);
    {
        int rd = open(fifo, O_RDONLY | O_NONBLOCK);
        T_TRUE(rd >= 0);
        T_EQ_INT(ac_file_check_writable(fifo, &e), 0);
        T_EQ_INT(ac_file_write_atomic(fifo, "through", 7, &e), 0);
        got = read(rd, buf, sizeof buf - 1);
        T_EQ_INT(got, 7);
        buf[got > 0 ? got : 0] = '\0';
        T_EQ_STR(buf, "through");
        close(rd);
    }
    T_TRUE(lstat(fifo, &st) == 0 && S_ISFIFO(st.st_mode));
    /* /dev/fd/N is the process's own descriptor: a pipe here. */
    T_EQ_INT(pipe(fds), 0);
    {
        char path[32];
        snprintf(path, sizeof path, "/dev/fd/%d", fds[1]);
        T_EQ_INT(ac_file_check_writable(path, &e), 0);
        T_EQ_INT(ac_file_write_atomic(path, "piped", 5, &e), 0);
        close(fds[1]);
        got = read(fds[0], buf, sizeof buf - 1);
        T_EQ_INT(got, 5);
        close(fds[0]);
    }
    /* What cannot be written is said before any work. */
    T_EQ_INT(ac_file_check_writable(t_path("%s/missing-dir/j.xml", dir), &e), -1);
    T_CONTAINS(e.text, "missing-dir' does not exist");
    ac_error_clear(&e);
    T_EQ_INT(ac_file_check_writable(dir, &e), -1);
    T_CONTAINS(e.text, "it is a directory");
    ac_error_clear(&e);
    T_EQ_INT(ac_file_check_writable("-", &e), 0);
    T_EQ_INT(ac_file_check_writable(t_path("%s/new.json", dir), &e), 0);
}

static void test_common_files(void)
{
    struct ac_error e = AC_ERROR_INIT;
    struct ac_buf b = AC_BUF_INIT;
    const char *p = t_write_temp("atomic.txt", "old", 3);
    char *back;

    T_EQ_INT(ac_file_write_atomic(p, "new content", 11, &e), 0);
    back = t_read_file(p, NULL);
    T_EQ_STR(back, "new content");
    free(back);
    T_EQ_INT(ac_file_read(p, 0, &b, &e), 0);
    T_EQ_STR(b.data, "new content");
    ac_buf_reset(&b);
    T_EQ_INT(ac_file_read(p, 5, &b, &e), -1);
    T_CONTAINS(e.text, "is larger than 5 bytes");
    ac_error_clear(&e);
    T_EQ_INT(ac_file_read("/nonexistent/x.json", 0, &b, &e), -1);
    T_EQ_STR(e.text, "cannot open '/nonexistent/x.json': No such file or directory");
    ac_error_clear(&e);
    T_EQ_INT(ac_file_write_atomic("/nonexistent/dir/x.json", "a", 1, &e), -1);
    T_EQ_STR(e.text, "cannot create '/nonexistent/dir/x.json': No such file or directory");
    ac_buf_release(&b);
}

int test_register(void)
{
    CU_pSuite s = CU_add_suite("common", NULL, NULL);

    if (!s || !CU_add_test(s, "first error wins", test_common_error_first_wins) ||
        !CU_add_test(s, "one out-of-memory wording", test_common_error_nomem) ||
        !CU_add_test(s, "JSON errors name file, line and column", test_common_json_parse) ||
        !CU_add_test(s, "JSON types are named one way", test_common_json_type_names) ||
        !CU_add_test(s, "growable buffer", test_common_buf) ||
        !CU_add_test(s, "strict UTF-8 validation", test_common_utf8) ||
        !CU_add_test(s, "SHA-256 test vectors", test_common_sha256) ||
        !CU_add_test(s, "atomic write and bounded read", test_common_files) ||
        !CU_add_test(s, "writes into links, FIFOs and descriptors", test_common_write_targets) ||
        !CU_add_test(s, "text made safe for a terminal", test_common_terminal_safe))
        return -1;
    return 0;
}
