# suite/ -- scenario files (data) and their loader
SUITE_SRCS := suite/load.c suite/scenario.c suite/fixture.c suite/scope.c suite/step.c suite/suite.c suite/fields.c suite/template.c

TESTS += suite
# Its files: tests/suitefix.h lists them.
TEST_suite_SRCS := tests/test_suite.c tests/test_suite_fixtures.c tests/test_suite_templates.c \
                   tests/suitefix.c $(SUITE_SRCS) $(CATALOG_SRCS) $(COMMON_SRCS)
TEST_suite_PKGS := jansson
