/*
 * Failure messages (debug builds only): one message per failed call, naming
 * the broken rule, delivered through config.report. The callback runs with
 * the context lock held and must not call back into the core.
 *
 * Format: "<function>: <rule>: <details>", e.g.
 *   "dmabuf_attach: window: device 'dma2' cannot reach 0x20000000+4096 (buffer 'frame0')"
 */
#include "internal.h"

#ifdef DMABUF_DEBUG

/* Long enough for two names, a few numbers and the explanation. */
#define DMABUF_MESSAGE_MAX 192

int dmabuf_fail_to(dmabuf_report_fn report, void *user, int err, const char *fmt, ...)
{
	if (!report)
		return err;
	char message[DMABUF_MESSAGE_MAX];
	struct dmabuf_text text;
	dmabuf_text_init(&text, message, sizeof(message));
	va_list args;
	va_start(args, fmt);
	dmabuf_text_vformat(&text, fmt, args);
	va_end(args);
	report(user, message);
	return err;
}

#endif /* DMABUF_DEBUG */
