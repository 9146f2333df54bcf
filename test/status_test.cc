#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "status_parser.h"
#include "status_text.h"

namespace capguard {
namespace {

using test::kStatusState;
using test::kStatusText;

// Parses from a heap copy of exactly the text's bytes, with no NUL after
// them, so that ASan catches any read past the length.
Result parse(const std::string& text, State* out) {
  std::vector<char> exact(text.begin(), text.end());
  return parse_status(exact.data(), exact.size(), out);
}

std::string replace(std::string text, const std::string& from, const std::string& to) {
  size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  return text.replace(at, from.size(), to);
}

TEST(Status, RealText) {
  State s;
  ASSERT_TRUE(parse(kStatusText, &s).ok());
  EXPECT_EQ(s, kStatusState);
}

TEST(Status, ThreadsLine) {
  auto threads = [](const std::string& text) {
    StatusParser p;
    p.feed(text.data(), text.size());
    return p.threads();
  };
  EXPECT_EQ(threads(kStatusText), 1);
  EXPECT_EQ(threads(replace(kStatusText, "Threads:\t1", "Threads:\t4096")), 4096);
  // PID_MAX_LIMIT, 4194304, is the most a process can have.
  EXPECT_EQ(threads(replace(kStatusText, "Threads:\t1", "Threads:\t4194304")), 4194304);
  EXPECT_EQ(threads(replace(kStatusText, "Threads:\t1", "Threads:\t4194305")), -1);
  EXPECT_EQ(threads(replace(kStatusText, "Threads:\t1\n", "")), -1);
  EXPECT_EQ(threads(replace(kStatusText, "Threads:\t1", "Threads:\t1x")), -1);
  EXPECT_EQ(threads(replace(kStatusText, "Threads:\t1", "Threads:\t1x2")), -1);            // bad stays bad
  EXPECT_EQ(threads(replace(kStatusText, "Threads:\t1", "Threads:\tx\nThreads:\t3")), 3);  // ... to its line's end
  EXPECT_EQ(threads(replace(kStatusText, "Threads:\t1", "Threads:\t")), -1);
  EXPECT_EQ(threads(replace(kStatusText, "Threads:\t1", "Threads:\t99999999999999999999999")), -1);
  EXPECT_EQ(threads(replace(kStatusText, "Threads:\t1", "Threads :\t7")), -1);
}

TEST(Status, UidLine) {
  // The effective uid, and whether the parser is done with the Cap lines:
  // the Uid line is no set.
  auto uid = [](const std::string& text) {
    StatusParser p;
    p.feed(text.data(), text.size());
    State s;
    EXPECT_TRUE(p.done());
    EXPECT_TRUE(p.finish(&s).ok());
    EXPECT_EQ(s, kStatusState);
    return p.uid();
  };
  EXPECT_EQ(uid(kStatusText), 0);
  EXPECT_EQ(uid(replace(kStatusText, "Uid:\t0\t0\t0\t0", "Uid:\t1000\t0\t1000\t1000")), 0);
  EXPECT_EQ(uid(replace(kStatusText, "Uid:\t0\t0\t0\t0", "Uid:\t0\t1000\t0\t0")), 1000);
  EXPECT_EQ(uid(replace(kStatusText, "Uid:\t0\t0\t0\t0", "Uid:\t0\t4294967295\t0\t0")), 4294967295);
  EXPECT_EQ(uid(replace(kStatusText, "Uid:\t0\t0\t0\t0", "Uid:\t0\t4294967296\t0\t0")), -1);
  EXPECT_EQ(uid(replace(kStatusText, "Uid:\t0\t0\t0\t0", "Uid:\t0\t1x\t0\t0")), -1);
  EXPECT_EQ(uid(replace(kStatusText, "Uid:\t0\t0\t0\t0", "Uid:\tx\t7\t0\t0")), -1);  // a bad real uid spoils the line
  EXPECT_EQ(uid(replace(kStatusText, "Uid:\t0\t0\t0\t0", "Uid:\t5")), -1);           // no effective id
  EXPECT_EQ(uid(replace(kStatusText, "Uid:\t0\t0\t0\t0\n", "")), -1);
  EXPECT_EQ(uid(replace(kStatusText, "Uid:\t0\t0\t0\t0", "Uid: 3 8 3 3")), 8);  // blanks of either kind
  EXPECT_EQ(uid(replace(kStatusText, "Uid:\t0\t0\t0\t0", "Uidx:\t0\t9\t0\t0")), -1);
  EXPECT_EQ(uid(replace(kStatusText, "Uid:\t0\t0\t0\t0", "Uid:0\t8\t0\t0")), 8);      // no blank before the value
  EXPECT_EQ(uid(replace(kStatusText, "Uid:\t0\t0\t0\t0", "Uid:\t0\t\t8\t0\t0")), 8);  // two between ids
  EXPECT_EQ(uid(replace(kStatusText, "Uid:\t0\t0\t0\t0", "Uid:\t0\t5\t0\t0\nUid:\t0\t9\t0\t0")), 9);  // the last
}

// The parser fed `text` whole.
StatusParser fed(const std::string& text) {
  std::vector<char> exact(text.begin(), text.end());  // no NUL after it, for ASan
  StatusParser p;
  p.feed(exact.data(), exact.size());
  return p;
}

TEST(Status, PpidLine) {
  auto ppid = [](const std::string& text) { return fed(text).ppid(); };
  EXPECT_EQ(ppid(kStatusText), 2851);
  EXPECT_EQ(ppid(replace(kStatusText, "PPid:\t2851", "PPid:\t0")), 0);
  EXPECT_EQ(ppid(replace(kStatusText, "PPid:\t2851", "PPid:\t4194304")), 4194304);  // PID_MAX_LIMIT
  EXPECT_EQ(ppid(replace(kStatusText, "PPid:\t2851", "PPid:\t4194305")), -1);
  EXPECT_EQ(ppid(replace(kStatusText, "PPid:\t2851", "PPid:\t28x1")), -1);
  EXPECT_EQ(ppid(replace(kStatusText, "PPid:\t2851", "PPid:\t")), -1);
  EXPECT_EQ(ppid(replace(kStatusText, "PPid:\t2851\n", "")), -1);
  EXPECT_EQ(ppid(replace(kStatusText, "PPid:\t2851", "PPidx:\t7")), -1);
  EXPECT_EQ(ppid(replace(kStatusText, "PPid:\t2851", "TracerPid:\t7")), -1);
}

TEST(Status, NameLine) {
  auto name = [](const std::string& line) {
    return std::string(fed(replace(kStatusText, "Name:\tcat\n", line)).name());
  };
  EXPECT_EQ(fed(kStatusText).name(), std::string("cat"));
  // The kernel escapes a newline and a backslash, and nothing else: a
  // name's own blanks, leading ones too, are its bytes.
  EXPECT_EQ(name("Name:\ta\\nb\\\\c\n"), "a\nb\\c");
  EXPECT_EQ(name("Name:\t lead\ttab \n"), " lead\ttab ");
  EXPECT_EQ(name("Name:\t\tx\n"), "\tx");
  EXPECT_EQ(name("Name:\t\\\\n\n"), "\\n");  // a backslash, then the letter n
  EXPECT_EQ(name("Name:\t\\x\n"), "x");      // written by no kernel: the letter alone
  EXPECT_EQ(name("Name:\tx\\\n"), "x");      // a backslash cut off at the line's end
  // 15 bytes at most, an escape counted once: a kernel thread's name may be longer.
  EXPECT_EQ(name("Name:\t123456789012345\n"), "123456789012345");
  EXPECT_EQ(name("Name:\tpool_workqueue_release\n"), "pool_workqueue_");
  EXPECT_EQ(name("Name:\t\\n\\n\\n\\n\\n\\n\\n\\n\\n\\n\\n\\n\\n\\n\\n\\n\n"), std::string(15, '\n'));
  EXPECT_EQ(name("Name:\t\n"), "");
  EXPECT_EQ(name(""), "");
  EXPECT_EQ(name("Names:\tx\n"), "");
}

TEST(Status, KernelTask) {
  auto kernel = [](const std::string& text) { return fed(text).kernel_task(); };
  const std::string user = kStatusText, kthread = replace(kStatusText, "Kthread:\t0", "Kthread:\t1");
  EXPECT_FALSE(kernel(user));
  EXPECT_TRUE(kernel(kthread));
  // From Linux 6.4 the Kthread line decides, whatever else the text says.
  EXPECT_FALSE(kernel(replace(user, "VmSize:\t    3060 kB\n", "")));
  EXPECT_TRUE(kernel(replace(kthread, "State:\tR (running)", "State:\tZ (zombie)")));
  // Before it: no address space, unless a zombie.
  const std::string old = replace(user, "Kthread:\t0\n", "");
  const std::string no_memory = replace(old, "VmSize:\t    3060 kB\n", "");
  EXPECT_FALSE(kernel(old));
  EXPECT_TRUE(kernel(no_memory));  // VmPeak is not VmSize
  EXPECT_TRUE(kernel(replace(no_memory, "VmPeak:\t    3060 kB\n", "")));
  EXPECT_FALSE(kernel(replace(no_memory, "State:\tR (running)", "State:\tZ (zombie)")));
  EXPECT_FALSE(kernel(replace(no_memory, "State:\tR (running)", "State: \t Z")));
  EXPECT_TRUE(kernel(replace(no_memory, "State:\tR (running)", "State:\tX (dead)")));
  EXPECT_TRUE(kernel(replace(no_memory, "State:\tR (running)", "State:\tS (Z)")));  // the letter only
  EXPECT_TRUE(kernel(replace(no_memory, "State:\tR (running)\n", "")));
  EXPECT_TRUE(kernel(replace(no_memory, "State:\tR (running)", "Stat:\tZ")));
  // A main thread on its way out while another thread lives on: no kernel
  // thread has two.
  EXPECT_FALSE(kernel(replace(no_memory, "Threads:\t1", "Threads:\t2")));
  EXPECT_FALSE(kernel(replace(no_memory, "Threads:\t1\n", "")));
  EXPECT_FALSE(kernel(replace(old, "Threads:\t1", "Threads:\t1\nVmSize:\t0 kB")));  // anywhere before the Cap lines
  // A Kthread line that is no number is as none.
  EXPECT_TRUE(kernel("Kthread:\tx\n" + no_memory));
  EXPECT_FALSE(kernel("Kthread:\tx\n" + old));
}

// The lines ps reads do not disturb the Cap lines, nor do they need to be
// there.
TEST(Status, PsLinesLeaveTheSetsAlone) {
  std::string text = replace(kStatusText, "Name:\tcat", "Name:\tCapInh:\t1");
  text = replace(text, "State:\tR (running)", "State:\tRCapEff:\t2");  // the state's letter, then nothing
  State s;
  ASSERT_TRUE(parse(text, &s).ok());
  EXPECT_EQ(s, kStatusState);
  for (const char* line :
       {"Name:\tcat\n", "PPid:\t2851\n", "Kthread:\t0\n", "VmSize:\t    3060 kB\n", "State:\tR (running)\n"}) {
    ASSERT_TRUE(parse(replace(kStatusText, line, ""), &s).ok()) << line;
    EXPECT_EQ(s, kStatusState) << line;
  }
}

TEST(Status, AnyLineOrderAndOtherLinesBetween) {
  std::string text =
      "CapAmb:\t0000000000000400\nfoo\nCapBnd:\t000001ffffffffff\n\nCapEff:\t0000000000200400\n"
      "Cap:\t1\nCapPrm:\t000001fffeffffff\nCapInhX\nCapInh:\t0000000000000400\nCapInh :\t1\n";
  State s;
  ASSERT_TRUE(parse(text, &s).ok());
  EXPECT_EQ(s, kStatusState);
}

TEST(Status, EverySplitGivesTheSameResult) {
  // A split inside the name's escape, too.
  std::string text = replace(kStatusText, "Name:\tcat", "Name:\ta\\nb");
  for (size_t cut = 0; cut <= text.size(); ++cut) {
    StatusParser p;
    std::vector<char> a(text.begin(), text.begin() + static_cast<long>(cut));
    std::vector<char> b(text.begin() + static_cast<long>(cut), text.end());
    p.feed(a.data(), a.size());
    p.feed(b.data(), b.size());
    State s;
    ASSERT_TRUE(p.finish(&s).ok()) << cut;
    EXPECT_EQ(s, kStatusState) << cut;
    EXPECT_EQ(std::string(p.name()) + " " + std::to_string(p.ppid()) + " " + std::to_string(p.uid()) + " " +
                  std::to_string(p.threads()) + " " + std::to_string(p.kernel_task()),
              "a\nb 2851 0 1 0")
        << cut;
  }
  StatusParser p;
  for (char c : text) p.feed(&c, 1);
  State s;
  ASSERT_TRUE(p.finish(&s).ok());
  EXPECT_EQ(s, kStatusState);
}

TEST(Status, AcceptsUpperCaseAndBlanksBeforeTheValue) {
  std::string text = replace(kStatusText, "CapPrm:\t000001fffeffffff", "CapPrm:  \t 000001FFFEFFFFFF");
  text = replace(text, "CapAmb:\t0000000000000400", "CapAmb: 400");
  State s;
  ASSERT_TRUE(parse(text, &s).ok());
  EXPECT_EQ(s, kStatusState);
}

TEST(Status, IgnoresNulBytesOutsideCapLines) {
  std::string text = kStatusText;
  text.insert(text.find("Seccomp"), std::string("Odd:\0\0\0\0\0\0\0\0x\n", 14));
  State s;
  ASSERT_TRUE(parse(text, &s).ok());
  EXPECT_EQ(s, kStatusState);
}

struct Bad {
  const char* what;
  std::string text;
  Error code;
  int set;
};

std::vector<Bad> bad_cases() {
  std::string t = kStatusText;
  int inh = 0, prm = 1, eff = 2, bnd = 3, amb = 4;
  return {
      {"no CapAmb", replace(t, "CapAmb:\t0000000000000400\n", ""), Error::status_missing_line, amb},
      {"no CapInh", replace(t, "CapInh:\t0000000000000400\n", ""), Error::status_missing_line, inh},
      {"empty text", "", Error::status_missing_line, inh},
      {"non-hex digit", replace(t, "CapEff:\t0000000000200400", "CapEff:\t00000000002004g0"), Error::status_bad_digit,
       eff},
      {"CRLF", replace(t, "CapBnd:\t000001ffffffffff\n", "CapBnd:\t000001ffffffffff\r\n"), Error::status_bad_digit,
       bnd},
      {"trailing blank", replace(t, "CapPrm:\t000001fffeffffff", "CapPrm:\t000001fffeffffff "), Error::status_bad_digit,
       prm},
      {"NUL in value",
       replace(t, "CapInh:\t0000000000000400",
               std::string("CapInh:\t00000000\0"
                           "0000400",
                           24)),
       Error::status_bad_digit, inh},
      {"minus sign", replace(t, "CapAmb:\t0000000000000400", "CapAmb:\t-1"), Error::status_bad_digit, amb},
      {"17 digits", replace(t, "CapEff:\t0000000000200400", "CapEff:\t00000000000200400"),
       Error::status_too_many_digits, eff},
      {"empty value", replace(t, "CapPrm:\t000001fffeffffff", "CapPrm:\t"), Error::status_empty_value, prm},
      {"bare key", replace(t, "CapPrm:\t000001fffeffffff", "CapPrm:"), Error::status_empty_value, prm},
      {"duplicate", t + "CapBnd:\t000001ffffffffff\n", Error::status_duplicate_line, bnd},
      {"no final newline", t.substr(0, t.size() - 1), Error::status_truncated, -1},
      {"cut inside a Cap line", t.substr(0, t.find("CapEff:") + 12), Error::status_truncated, -1},
      {"cut inside a key", t.substr(0, t.find("CapEff:") + 4), Error::status_truncated, -1},
  };
}

TEST(Status, EachErrorIsDistinctNamesTheSetAndLeavesTheOutputAlone) {
  for (const Bad& c : bad_cases()) {
    State s = {{{1}, {2}, {3}, {4}, {5}}};
    Result r = parse(c.text, &s);
    EXPECT_EQ(r.code, c.code) << c.what;
    EXPECT_EQ(r.set, c.set) << c.what;
    EXPECT_EQ(s, (State{{{1}, {2}, {3}, {4}, {5}}})) << c.what;
  }
}

TEST(Status, FirstErrorSticks) {
  std::string text = replace(kStatusText, "CapInh:\t0000000000000400", "CapInh:\tzz");
  text += "CapInh:\t1\n";
  State s;
  EXPECT_EQ(parse(text, &s).code, Error::status_bad_digit);
}

TEST(Status, NeverReadsPastTheLength) {
  std::string text = kStatusText;
  std::string longer = text + "CapEff:\t1\n";  // a duplicate the length excludes
  State s;
  ASSERT_TRUE(parse_status(longer.data(), text.size(), &s).ok());
  EXPECT_EQ(s, kStatusState);
}

}  // namespace
}  // namespace capguard
