# common/ -- error struct, buffers, UTF-8, SHA-256 (libc only)
COMMON_SRCS := common/ac.c common/sha256.c
