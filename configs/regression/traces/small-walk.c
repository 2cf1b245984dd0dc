// SPDX-License-Identifier: Apache-2.0
// The program behind small-walk.lk.xz (configs/regression/replay_small_walk.yaml),
// recorded with:
//   gcc -O1 -static -o small_walk small-walk.c
//   env -i valgrind --tool=lackey --trace-mem=yes --log-file=small-walk.lk ./small_walk
//   xz -9 small-walk.lk
// A small walk: 2 passes over 8 KiB with a 24-byte stride, reading and
// updating, plus a second buffer written once.
static unsigned char a[8192], b[4096];
int main(void) {
    unsigned sum = 0;
    for (int pass = 0; pass < 2; ++pass)
        for (unsigned i = 0; i + 8 <= sizeof a; i += 24) {
            sum += a[i];
            a[i + 3] = (unsigned char)(sum + pass);
        }
    for (unsigned i = 0; i < sizeof b; i += 64)
        b[i] = (unsigned char)i;
    return (int)(sum & 1) + b[64];
}
