# reference/ -- apiconform-ref, the reference server (libmicrohttpd)
REF_MAIN_SRCS := reference/main.c
REF_SRCS := reference/server.c reference/router.c reference/request.c reference/call.c \
            reference/reply.c reference/state.c \
            reference/config.c reference/util.c reference/h_platform.c reference/h_legacy.c \
            reference/h_micro_ns.c reference/h_micro_shared.c \
            reference/h_micro_create.c reference/h_micro_svc.c reference/h_storage.c reference/h_nlb.c

TESTS += reference
# Its files: tests/refclient.h lists them.
TEST_reference_SRCS := tests/test_reference.c tests/test_reference_mutations.c \
                       tests/test_reference_robust.c tests/test_reference_state.c \
                       tests/refclient.c tests/refcodes.c tests/refsetups.c tests/tdata.c \
                       $(REF_SRCS) $(CATALOG_SRCS) $(COMMON_SRCS)
TEST_reference_PKGS := libmicrohttpd jansson libcurl
# The test also runs the program (--help, bad flags, --port 0, SIGTERM).
$(BUILD)/tests/test_reference: | $(BUILD)/apiconform-ref
