/* Runs the generated tests of the rule "NULL and dead objects" (dmabuf.h). */
#include <stdio.h>

#include "unit.h"

extern const struct unit_suite suite_null_rule;
extern const unsigned null_rule_functions;

int main(void)
{
	static const struct unit_suite *const suites[] = { &suite_null_rule };
	printf("%u public functions, %zu tests\n", null_rule_functions, suite_null_rule.count);
	return unit_run(suites, 1, NULL) ? 1 : 0;
}
