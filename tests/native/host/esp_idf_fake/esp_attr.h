/* Test stand-in for ESP-IDF's esp_attr.h: esp_idf_fake.h. */
#include "esp_idf_fake.h"
