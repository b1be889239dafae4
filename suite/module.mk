# suite/ -- scenario files (data) and their loader
SUITE_SRCS := suite/suite.c suite/template.c

TESTS += suite
TEST_suite_SRCS := tests/test_suite.c $(SUITE_SRCS) $(CATALOG_SRCS) $(COMMON_SRCS)
TEST_suite_PKGS := jansson
