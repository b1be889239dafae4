/* tests/test_common.c -- common/: error struct, buffer, UTF-8, SHA-256, files. */
#include <stdlib.h>
#include <string.h>

#include "../common/ac.h"
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

static void test_common_buf(void)
{
    struct ac_buf b = AC_BUF_INIT;
    char *p;
    int i;

    T_EQ_INT(ac_buf_adds(&b, "abc"), 0);
    T_EQ_INT(ac_buf_addc(&b, '\0'), 0);
    T_EQ_INT(ac_buf_addf(&b, "%d-%s", 42, "x"), 0);
    T_EQ_INT(b.len, 8);
    T_TRUE(memcmp(b.data, "abc\0" "42-x", 8) == 0);
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
        ac_sha256_update(&s, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
                             "aaaaaaaaaaaaaaaaaaaaaaa", 100);
    ac_sha256_update(&s, "", 0);
    for (i = 0; i < 9000; i++)
        ac_sha256_update(&s, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
                             "aaaaaaaaaaaaaaaaaaaaaaa", 100);
    ac_sha256_hex(&s, hex); /* one million 'a' */
    T_EQ_STR(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
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
        !CU_add_test(s, "growable buffer", test_common_buf) ||
        !CU_add_test(s, "strict UTF-8 validation", test_common_utf8) ||
        !CU_add_test(s, "SHA-256 test vectors", test_common_sha256) ||
        !CU_add_test(s, "atomic write and bounded read", test_common_files))
        return -1;
    return 0;
}
