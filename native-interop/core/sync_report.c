/*
 * Failure messages of fences, reservations and queues (sync_report.h).
 */
#include "sync_report.h"

#ifdef DMABUF_DEBUG

/* As report.c: room for a rule, a few numbers and the explanation. The
 * callback may run in an ISR (fence signal): the message is on the stack. */
#define DMABUF_SYNC_MESSAGE_MAX 160

int dmabuf_sync_fail(dmabuf_report_fn report, void *user, int err, const char *fmt, ...)
{
	if (!report)
		return err;
	char message[DMABUF_SYNC_MESSAGE_MAX];
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
