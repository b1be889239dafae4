# common/ -- error struct, buffers, UTF-8, SHA-256 (libc only); ac_json: the
# JSON parse and type names (needs jansson: whatever links common/ links it)
COMMON_SRCS := common/ac.c common/ac_json.c common/sha256.c
