# suite/ -- scenario files (data) and their loader
SUITE_SRCS :=
