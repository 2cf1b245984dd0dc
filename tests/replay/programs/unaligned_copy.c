// SPDX-License-Identifier: Apache-2.0
// memcpy and memmove of odd sizes at odd offsets: the C library's vector
// copies make loads and stores that straddle cache lines.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BYTES (40 * 1024)

int main(void) {
    unsigned char *src = malloc(BYTES), *dst = malloc(BYTES);
    if (!src || !dst)
        return 1;
    for (unsigned i = 0; i < BYTES; ++i)
        src[i] = (unsigned char)(i * 7);
    unsigned long sum = 0;
    static const unsigned sizes[] = {1, 3, 17, 63, 65, 127, 1001, 4097, 20011};
    for (unsigned r = 0; r < 4; ++r)
        for (unsigned s = 0; s < sizeof sizes / sizeof sizes[0]; ++s) {
            unsigned off = (r * 13 + s * 5) % 61;
            memcpy(dst + off + 1, src + off * 3, sizes[s]);
            memmove(dst + off, dst + off + 7, sizes[s]);
            memmove(src + off + 5, src + off, sizes[s]);
            sum += dst[off + sizes[s] / 2];
        }
    printf("%lu\n", sum);
    free(src);
    free(dst);
    return 0;
}
