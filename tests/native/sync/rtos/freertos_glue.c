/* FreeRTOS side of the port check: static tasks, the tick hook as the
 * simulated DMA interrupt (it runs in the SysTick ISR). */
#include <stdio.h>
#include <stdlib.h>

#include "FreeRTOS.h"
#include "task.h"
#include "rtos_port_check.h"

void rtos_assert_failed(const char *file, int line)
{
	printf("configASSERT failed: %s:%d\n", file, line);
	exit(98);
}

void rtos_sleep_ms(unsigned ms)
{
	vTaskDelay(pdMS_TO_TICKS(ms));
}

void rtos_yield(void)
{
	taskYIELD();
}

void vApplicationTickHook(void)
{
	check_tick();
}

static void waiter_task(void *arg)
{
	(void)arg;
	exit(check_waiter());
}

static void consumer_task(void *arg)
{
	(void)arg;
	check_consumer();
	vTaskSuspend(NULL);
}

static void contender_task(void *arg)
{
	(void)arg;
	check_contender();
	vTaskSuspend(NULL);
}

#define STACK_WORDS 1024
static StaticTask_t tasks[4];
static StackType_t stacks[4][STACK_WORDS];

int main(void)
{
	int err = check_init();
	if (err)
		return err;
	xTaskCreateStatic(waiter_task, "waiter", STACK_WORDS, NULL, 3, stacks[0], &tasks[0]);
	xTaskCreateStatic(consumer_task, "consumer", STACK_WORDS, NULL, 2, stacks[1], &tasks[1]);
	xTaskCreateStatic(contender_task, "contender1", STACK_WORDS, NULL, 1, stacks[2], &tasks[2]);
	xTaskCreateStatic(contender_task, "contender2", STACK_WORDS, NULL, 1, stacks[3], &tasks[3]);
	vTaskStartScheduler();
	return 97; /* the scheduler returned: not enough memory */
}
