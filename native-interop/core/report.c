/*
 * Failure messages (debug builds only): one message per failed call, naming
 * the broken rule, delivered to the sink of the object that failed (the
 * context's config.report, or a fence pool's / queue's *_set_report). The
 * callback runs with that object's lock held (the context mutex, or the irq
 * lock, possibly inside an ISR that signals a fence) and must not call back
 * into the core.
 *
 * A NULL or dead object carries no sink that may still be called: those
 * refusals go to the one process-wide fallback sink instead.
 *
 * Format: "<function>: <rule>: <details>", e.g.
 *   "dmabuf_attach: window: device 'dma2' cannot reach 0x20000000+4096 (buffer 'frame0')"
 */
#include "internal.h"

#ifdef DMABUF_DEBUG

static dmabuf_report_fn fallback_report;
static void *fallback_user;

void dmabuf_set_fallback_report(dmabuf_report_fn report, void *user)
{
	fallback_report = report;
	fallback_user = user;
}

/* Long enough for two names, a few numbers and the explanation; on the
 * caller's stack, which may be an ISR's. */
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

int dmabuf_refuse_object(const void *object, const char *caller, const char *argument)
{
	if (!object)
		return dmabuf_fail_to(fallback_report, fallback_user, DMABUF_EINVAL, "%s: %s: NULL", caller, argument);
	return dmabuf_fail_to(fallback_report, fallback_user, DMABUF_EINVAL,
			      "%s: %s: not live (deinitialised, or never initialised)", caller, argument);
}

#else

void dmabuf_set_fallback_report(dmabuf_report_fn report, void *user)
{
	(void)report;
	(void)user;
}

#endif /* DMABUF_DEBUG */

int dmabuf_require_live(const struct dmabuf_ctx *ctx, const char *function)
{
	if (!dmabuf_object_live(ctx, DMABUF_MAGIC_CONTEXT))
		return DMABUF_REFUSE_OBJECT(ctx, function ? function : "dmabuf_require_live", "ctx");
	if (!function)
		return DMABUF_FAIL(ctx, DMABUF_EINVAL, "dmabuf_require_live: function: NULL");
	return 0;
}

/* The layers above the core (frames/) report through the same sink, under
 * the context lock as the core's own messages are, so the sink's contract
 * (called with the lock held, must not call back) stays one rule. */
int dmabuf_report_failure(struct dmabuf_ctx *ctx, int err, const char *function, const char *fmt, ...)
{
	if (!dmabuf_object_live(ctx, DMABUF_MAGIC_CONTEXT))
		return DMABUF_REFUSE_OBJECT(ctx, "dmabuf_report_failure", "ctx");
	if (!function)
		return DMABUF_FAIL(ctx, DMABUF_EINVAL, "dmabuf_report_failure: function: NULL");
	if (!fmt)
		return DMABUF_FAIL(ctx, DMABUF_EINVAL, "dmabuf_report_failure: fmt: NULL");
#ifdef DMABUF_DEBUG
	if (!ctx->report)
		return err;
	char message[DMABUF_MESSAGE_MAX];
	struct dmabuf_text text;
	dmabuf_text_init(&text, message, sizeof(message));
	dmabuf_text_format(&text, "%s: ", function);
	va_list args;
	va_start(args, fmt);
	dmabuf_text_vformat(&text, fmt, args);
	va_end(args);
	dmabuf_lock(ctx);
	ctx->report(ctx->report_user, message);
	dmabuf_unlock(ctx);
#else
	(void)ctx;
	(void)function;
	(void)fmt;
#endif
	return err;
}
