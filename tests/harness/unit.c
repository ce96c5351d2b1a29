#include "unit.h"

#include <stdio.h>
#include <string.h>

static int current_failed;

void unit_fail(const char *file, int line, const char *what, long long got, long long want)
{
	if (!current_failed)
		printf("  FAIL %s:%d: %s (got %lld, want %lld)\n", file, line, what, got, want);
	current_failed = 1;
}

int unit_failed(void)
{
	return current_failed;
}

int unit_run(const struct unit_suite *const *suites, size_t count, const char *only)
{
	int passed = 0, failed = 0;
	for (size_t s = 0; s < count; s++) {
		const struct unit_suite *suite = suites[s];
		if (only && strcmp(only, suite->name) != 0)
			continue;
		int suite_failed = 0;
		for (size_t t = 0; t < suite->count; t++) {
			current_failed = 0;
			suite->tests[t].fn();
			if (current_failed) {
				printf("  in %s.%s\n", suite->name, suite->tests[t].name);
				suite_failed++;
			}
		}
		printf("suite %s: %d of %d passed\n", suite->name, (int)suite->count - suite_failed,
		       (int)suite->count);
		passed += (int)suite->count - suite_failed;
		failed += suite_failed;
	}
	printf("%d passed, %d failed\n", passed, failed);
	return failed;
}
