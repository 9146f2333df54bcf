// A /proc/<pid>/status text as Linux 6.x writes it, with a distinct value in
// each Cap line so that a mix-up shows.
#ifndef CAPGUARD_TEST_STATUS_TEXT_H_
#define CAPGUARD_TEST_STATUS_TEXT_H_

#include "capguard/capset.h"

namespace capguard::test {

inline constexpr char kStatusText[] =
    "Name:\tcat\n"
    "Umask:\t0022\n"
    "State:\tR (running)\n"
    "Tgid:\t2854\n"
    "Pid:\t2854\n"
    "PPid:\t2851\n"
    "Uid:\t0\t0\t0\t0\n"
    "Gid:\t0\t0\t0\t0\n"
    "Groups:\t \n"
    "Kthread:\t0\n"
    "VmPeak:\t    3060 kB\n"
    "VmSize:\t    3060 kB\n"
    "Threads:\t1\n"
    "SigQ:\t0/96343\n"
    "SigBlk:\t0000000000000000\n"
    "CapInh:\t0000000000000400\n"
    "CapPrm:\t000001fffeffffff\n"
    "CapEff:\t0000000000200400\n"
    "CapBnd:\t000001ffffffffff\n"
    "CapAmb:\t0000000000000400\n"
    "NoNewPrivs:\t0\n"
    "Seccomp:\t0\n"
    "Cpus_allowed_list:\t0-1\n"
    "voluntary_ctxt_switches:\t0\n";

inline constexpr State kStatusState = {{{0x400}, {0x1fffeffffff}, {0x200400}, {0x1ffffffffff}, {0x400}}};

}  // namespace capguard::test

#endif  // CAPGUARD_TEST_STATUS_TEXT_H_
