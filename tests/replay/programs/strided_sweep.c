// SPDX-License-Identifier: Apache-2.0
// Strided sweeps over a 48 KiB array: loads, stores and read-modify-writes
// at strides from one byte to a page, so every cache level sees hits, misses
// and dirty evictions.
#include <stdio.h>
#include <stdlib.h>

#define BYTES (48 * 1024)

int main(void) {
    volatile unsigned char *a = malloc(BYTES);
    if (!a)
        return 1;
    unsigned long sum = 0;
    static const unsigned strides[] = {1, 8, 64, 72, 4096, 4160};
    for (unsigned s = 0; s < sizeof strides / sizeof strides[0]; ++s) {
        for (unsigned i = 0; i < BYTES; i += strides[s])
            a[i] = (unsigned char)(i + s);
        for (unsigned i = 0; i < BYTES; i += strides[s])
            sum += a[i];
        for (unsigned i = 0; i < BYTES; i += strides[s] * 2)
            a[i] += 3;
    }
    printf("%lu\n", sum);
    free((void *)a);
    return 0;
}
