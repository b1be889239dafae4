# reference/ -- apiconform-ref, the reference server (libmicrohttpd)
REF_MAIN_SRCS := reference/main.c
REF_SRCS :=
