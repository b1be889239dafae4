# common/ -- error struct, buffers, UTF-8, SHA-256 (libc only); ac_json: JSON type
# names (needs jansson's header only)
COMMON_SRCS := common/ac.c common/ac_json.c common/sha256.c
