/*
 * USART1 on PA9 (TX) / PA10 (RX), alternate function 7: the ST-LINK's
 * virtual COM port on the STM32F769I-DISCO (UM2033, "USART1 ... connected to
 * ST-LINK"), 115200 8N1. newlib-nano's printf ends in _write, defined here.
 * Registers: RM0410's USART (CR1 0x00, BRR 0x0C, ISR 0x1C, TDR 0x28) and
 * GPIO (MODER 0x00, OSPEEDR 0x08, AFRH 0x24) register maps, as stm32f769xx.h
 * lays out USART_TypeDef and GPIO_TypeDef.
 */
#include <errno.h>

#include "disco.h"

#define RCC_AHB1ENR (*(volatile uint32_t *)(0x40023800u + 0x30u))
#define RCC_APB2ENR (*(volatile uint32_t *)(0x40023800u + 0x44u))
#define RCC_AHB1ENR_GPIOAEN (1u << 0)
#define RCC_APB2ENR_USART1EN (1u << 4)

#define GPIOA_BASE 0x40020000u
#define GPIOA_MODER (*(volatile uint32_t *)(GPIOA_BASE + 0x00u))
#define GPIOA_OSPEEDR (*(volatile uint32_t *)(GPIOA_BASE + 0x08u))
#define GPIOA_AFRH (*(volatile uint32_t *)(GPIOA_BASE + 0x24u))
#define MODER_AF 2u
#define OSPEEDR_MEDIUM 1u
#define AF7_USART1 7u

#define USART1_BASE 0x40011000u                              /* APB2 + 0x1000 */
#define USART1_CR1 (*(volatile uint32_t *)(USART1_BASE + 0x00u))
#define USART1_BRR (*(volatile uint32_t *)(USART1_BASE + 0x0Cu))
#define USART1_ISR (*(volatile const uint32_t *)(USART1_BASE + 0x1Cu))
#define USART1_TDR (*(volatile uint32_t *)(USART1_BASE + 0x28u))
#define USART_CR1_UE (1u << 0)
#define USART_CR1_RE (1u << 2)
#define USART_CR1_TE (1u << 3)
#define USART_ISR_TXE (1u << 7)

#define BAUD 115200u

void disco_console_init(void)
{
	RCC_AHB1ENR |= RCC_AHB1ENR_GPIOAEN;
	RCC_APB2ENR |= RCC_APB2ENR_USART1EN;
	(void)RCC_APB2ENR;
	for (uint32_t pin = 9; pin <= 10; pin++) {
		GPIOA_MODER = (GPIOA_MODER & ~(3u << (2u * pin))) | (MODER_AF << (2u * pin));
		GPIOA_OSPEEDR = (GPIOA_OSPEEDR & ~(3u << (2u * pin))) | (OSPEEDR_MEDIUM << (2u * pin));
		GPIOA_AFRH = (GPIOA_AFRH & ~(0xFu << (4u * (pin - 8u)))) | (AF7_USART1 << (4u * (pin - 8u)));
	}
	/* Oversampling by 16: BRR = kernel clock / baud, rounded (USART1's
	 * kernel clock is PCLK2 after reset, RCC_DCKCFGR2.USART1SEL = 0). */
	USART1_BRR = (DISCO_APB2_HZ + BAUD / 2u) / BAUD;
	USART1_CR1 = USART_CR1_TE | USART_CR1_RE | USART_CR1_UE;
}

static void put(char c)
{
	while (!(USART1_ISR & USART_ISR_TXE))
		;
	USART1_TDR = (uint8_t)c;
}

void disco_console_write(const char *text, uint32_t length)
{
	for (uint32_t i = 0; i < length; i++) {
		if (text[i] == '\n')
			put('\r'); /* terminals expect CR LF */
		put(text[i]);
	}
}

int _write(int fd, const char *buffer, int length);

int _write(int fd, const char *buffer, int length)
{
	if (fd != 1 && fd != 2) {
		errno = EBADF;
		return -1;
	}
	disco_console_write(buffer, (uint32_t)length);
	return length;
}
