#include "capguard/format.h"

#include <errno.h>
#include <gtest/gtest.h>

#include <functional>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "capguard/guard.h"
#include "capguard/names.h"
#include "capguard/status.h"
#include "status_text.h"
#include "text.h"

namespace capguard {
namespace {

template <class F>
std::string text(F format) {
  char buf[16384];
  size_t n = format(buf, sizeof buf);
  EXPECT_LT(n, sizeof buf);
  EXPECT_EQ(strlen(buf), n);
  return buf;
}

std::string list(uint64_t bits) {
  return text([&](char* b, size_t n) { return format_list(CapSet{bits}, b, n); });
}

TEST(Format, List) {
  EXPECT_EQ(list(0), "");
  EXPECT_EQ(list(1), "cap_chown");
  EXPECT_EQ(list((1ull << 0) | (1ull << 5) | (1ull << 40)), "cap_chown,cap_kill,cap_checkpoint_restore");
  EXPECT_EQ(list((1ull << 41) | (1ull << 63)), "41,63");
}

TEST(Format, ListNamesEveryBit) {
  for (int cap = 0; cap < 64; ++cap) {
    std::string expect = cap <= kTableLastCap ? cap_name(cap) : std::to_string(cap);
    EXPECT_EQ(list(1ull << cap), expect);
  }
}

TEST(Format, Decode) {
  auto decode = [](uint64_t bits) {
    return text([&](char* b, size_t n) { return format_decode(CapSet{bits}, b, n); });
  };
  EXPECT_EQ(decode(0), "0x0000000000000000=");
  EXPECT_EQ(decode(3), "0x0000000000000003=cap_chown,cap_dac_override");
  EXPECT_EQ(decode(1ull << 63), "0x8000000000000000=63");
}

TEST(Format, Show) {
  State s;
  s[Set::permitted] = CapSet{(1ull << 10) | (1ull << 41)};
  s[Set::effective] = CapSet{1ull << 10};
  EXPECT_EQ(text([&](char* b, size_t n) { return format_show(s, b, n); }),
            "inheritable:\n"
            "permitted: cap_net_bind_service,41\n"
            "effective: cap_net_bind_service\n"
            "bounding:\n"
            "ambient:\n");
}

TEST(Format, Json) {
  State s;
  s[Set::permitted] = CapSet{(1ull << 10) | (1ull << 41)};
  s[Set::effective] = CapSet{1ull << 10};
  s[Set::bounding] = CapSet{~0ull};
  std::string j = text([&](char* b, size_t n) { return format_json(42, s, b, n); });
  std::string all;
  for (int cap = 0; cap < 64; ++cap)
    all += std::string(cap ? "," : "") + '"' + (cap <= kTableLastCap ? cap_name(cap) : std::to_string(cap)) + '"';
  EXPECT_EQ(j,
            "{\"schema\":1,\"pid\":42,\"inheritable\":[],\"permitted\":[\"cap_net_bind_service\",\"41\"],"
            "\"effective\":[\"cap_net_bind_service\"],\"bounding\":[" +
                all +
                "],\"ambient\":[],"
                "\"hex\":{\"inheritable\":\"0000000000000000\",\"permitted\":\"0000020000000400\","
                "\"effective\":\"0000000000000400\",\"bounding\":\"ffffffffffffffff\","
                "\"ambient\":\"0000000000000000\"}}\n");
}

TEST(Format, Exec) {
  Exec e;
  e.caps[Set::inheritable] = e.caps[Set::ambient] = CapSet{1};
  e.caps[Set::permitted] = e.caps[Set::effective] = CapSet{1 | 1ull << 40};
  e.caps[Set::bounding] = CapSet{1ull << 40};
  e.uid = 1000, e.gid = 0;
  e.reasons[static_cast<int>(Reason::file)] = CapSet{1ull << 40};
  e.reasons[static_cast<int>(Reason::ambient)] = CapSet{1};
  EXPECT_EQ(text([&](char* b, size_t n) { return format_exec(e, b, n); }),
            "inheritable: cap_chown\n"
            "permitted: cap_chown,cap_checkpoint_restore\n"
            "effective: cap_chown,cap_checkpoint_restore\n"
            "bounding: cap_checkpoint_restore\n"
            "ambient: cap_chown\n"
            "uid: 1000\n"
            "gid: 0\n"
            "from file: cap_checkpoint_restore\n"
            "from ambient: cap_chown\n");
  e.ignored = "nosuid mount";
  EXPECT_EQ(text([&](char* b, size_t n) { return format_exec_json(7, e, b, n); }),
            "{\"schema\":1,\"pid\":7,\"inheritable\":[\"cap_chown\"],"
            "\"permitted\":[\"cap_chown\",\"cap_checkpoint_restore\"],"
            "\"effective\":[\"cap_chown\",\"cap_checkpoint_restore\"],\"bounding\":[\"cap_checkpoint_restore\"],"
            "\"ambient\":[\"cap_chown\"],\"hex\":{\"inheritable\":\"0000000000000001\","
            "\"permitted\":\"0000010000000001\",\"effective\":\"0000010000000001\","
            "\"bounding\":\"0000010000000000\",\"ambient\":\"0000000000000001\"},\"uid\":1000,\"gid\":0,"
            "\"reasons\":{\"file\":[\"cap_checkpoint_restore\"],\"setuid-root\":[],\"root\":[],"
            "\"ambient\":[\"cap_chown\"]},\"ignored\":\"nosuid mount\"}\n");
  e.ignored = nullptr;
  std::string json = text([&](char* b, size_t n) { return format_exec_json(7, e, b, n); });
  EXPECT_EQ(json.substr(json.size() - 16), "\"ignored\":null}\n");
}

TEST(Format, FileJson) {
  FileCaps f;
  f.revision = 3, f.rootid = 100000, f.effective = true;
  f.permitted = CapSet{1}, f.inheritable = CapSet{1ull << 13};
  EXPECT_EQ(text([&](char* b, size_t n) { return format_file_json("a\"b\\c\n\x01\xc3\xa9", f, b, n); }),
            "{\"schema\":1,\"path\":\"a\\\"b\\\\c\\u000a\\u0001\xc3\xa9\",\"permitted\":[\"cap_chown\"],"
            "\"inheritable\":[\"cap_net_raw\"],\"effective\":[\"cap_chown\",\"cap_net_raw\"],\"revision\":3,"
            "\"rootid\":100000}\n");
  f.revision = 2, f.effective = false;
  EXPECT_EQ(text([&](char* b, size_t n) { return format_file_json("/x", f, b, n); }),
            "{\"schema\":1,\"path\":\"/x\",\"permitted\":[\"cap_chown\"],\"inheritable\":[\"cap_net_raw\"],"
            "\"effective\":[],\"revision\":2}\n");
}

std::string escaped(const std::string& s) {
  char buf[256];
  text::Writer w(buf, sizeof buf);
  text::put_escaped(w, s.c_str());
  EXPECT_LT(w.finish(), sizeof buf);
  return buf;
}

// Each edge of the escapes: ASCII and its controls, DEL, C1, U+2028/2029,
// and every way to not be UTF-8 (a byte that begins nothing, an overlong
// form, a surrogate, past U+10FFFF, a sequence cut short), each next to the
// valid character beside it.
TEST(Format, EscapesKeepEveryLineValidUtf8) {
  struct Case {
    const char* in;
    const char* out;
    bool quote;  // needs_quotes()
  } cases[] = {
      {"", "", false},
      {"/usr/bin/ping", "/usr/bin/ping", false},
      {"a b", "a b", true},
      {"a=b", "a=b", true},
      {"\"", "\\\"", true},
      {"\\", "\\\\", true},
      {"\\udcff", "\\\\udcff", true},  // the text, not the escape
      {"\x01", "\\u0001", true},
      {"\x1f", "\\u001f", true},
      {"\x7e", "~", false},
      {"\x7f", "\\u007f", true},
      {"\xc2\x80", "\\u0080", true},
      {"\xc2\x85", "\\u0085", true},
      {"\xc2\x9f", "\\u009f", true},
      {"\xc2\xa0", "\xc2\xa0", false},
      {"\xc3\xa9", "\xc3\xa9", false},
      {"\xdf\xbf", "\xdf\xbf", false},
      {"\xe0\xa0\x80", "\xe0\xa0\x80", false},
      {"\xe2\x80\xa7", "\xe2\x80\xa7", false},
      {"\xe2\x80\xa8", "\\u2028", true},
      {"\xe2\x80\xa9", "\\u2029", true},
      {"\xe2\x80\xaa", "\xe2\x80\xaa", false},
      {"\xed\x9f\xbf", "\xed\x9f\xbf", false},
      {"\xee\x80\x80", "\xee\x80\x80", false},
      {"\xef\xbf\xbf", "\xef\xbf\xbf", false},
      {"\xf0\x90\x80\x80", "\xf0\x90\x80\x80", false},
      {"\xf4\x8f\xbf\xbf", "\xf4\x8f\xbf\xbf", false},
      // Not UTF-8: a byte that begins nothing, overlong forms, surrogates,
      // past U+10FFFF.
      {"\x80", "\\udc80", true},
      {"\xbf", "\\udcbf", true},
      {"\xff", "\\udcff", true},
      {"\xc0\x80", "\\udcc0\\udc80", true},
      {"\xc1\xbf", "\\udcc1\\udcbf", true},
      {"\xe0\x9f\xbf", "\\udce0\\udc9f\\udcbf", true},
      {"\xf0\x8f\xbf\xbf", "\\udcf0\\udc8f\\udcbf\\udcbf", true},
      {"\xed\xa0\x80", "\\udced\\udca0\\udc80", true},
      {"\xed\xbf\xbf", "\\udced\\udcbf\\udcbf", true},
      {"\xf4\x90\x80\x80", "\\udcf4\\udc90\\udc80\\udc80", true},
      {"\xf5\x80\x80\x80", "\\udcf5\\udc80\\udc80\\udc80", true},
      {"\xf8\x90\x80\x80", "\\udcf8\\udc90\\udc80\\udc80", true},  // 0xf8 begins nothing: not U+10000
      // Cut short by the end, or by a byte that is no continuation.
      {"a\xc3", "a\\udcc3", true},
      {"\xe2\x80", "\\udce2\\udc80", true},
      {"\xf0\x9f\x98", "\\udcf0\\udc9f\\udc98", true},
      {"\xe2\x80"
       "a",
       "\\udce2\\udc80a", true},
      {"\xc3\xa9\xa9", "\xc3\xa9\\udca9", true},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(escaped(c.in), c.out) << c.in;
    EXPECT_EQ(text::needs_quotes(c.in), c.quote) << c.in;
  }
}

// No two names escape the same: every string of one or two bytes, and of
// three from the edges above.
TEST(Format, EscapesTellEveryNameApart) {
  std::set<std::string> seen;
  size_t names = 0;
  for (int a = 1; a < 256; ++a) {
    seen.insert(escaped(std::string(1, static_cast<char>(a)))), ++names;
    for (int b = 1; b < 256; ++b) seen.insert(escaped({static_cast<char>(a), static_cast<char>(b)})), ++names;
  }
  const char edges[] = "\x01\x5c\x7f\x80\x9f\xa0\xa8\xbf\xc0\xc2\xdf\xe0\xe2\xed\xef\xf0\xf4\xf5\xff\x22u";
  for (char a : edges)
    for (char b : edges)
      for (char c : edges)
        if (a != '\0' && b != '\0' && c != '\0') seen.insert(escaped({a, b, c})), ++names;
  EXPECT_EQ(seen.size(), names);
}

// How many errors there are: error_message() says "unknown error" past the last.
int error_count() {
  int n = 0;
  while (std::string(error_message(static_cast<Error>(n))) != "unknown error") ++n;
  return n;
}

TEST(Format, LargestTextsFitTheirBuffers) {
  State full = {{{~0ull}, {~0ull}, {~0ull}, {~0ull}, {~0ull}}};
  Exec e;
  e.caps = full, e.uid = e.gid = 4294967295u, e.ignored = "rootid of another user namespace";
  for (CapSet& r : e.reasons) r = CapSet{~0ull};
  char buf[1];
  // The longest, the one kFormatMax is sized by.
  EXPECT_EQ(format_exec_json(-1, e, buf, sizeof buf), 7446u);
  EXPECT_LT(format_exec_json(-1, e, buf, sizeof buf), kFormatMax);
  EXPECT_LT(format_exec(e, buf, sizeof buf), kFormatMax);
  EXPECT_LT(format_json(-1, full, buf, sizeof buf), kFormatMax);
  EXPECT_LT(format_show(full, buf, sizeof buf), kFormatMax);
  EXPECT_LT(format_cap_table(63, buf, sizeof buf), kFormatMax);
  EXPECT_LT(format_decode(CapSet{~0ull}, buf, sizeof buf), kFormatMax);
  // The longest call, errno and capability name, or set and capability.
  for (int e = 0; e < error_count(); ++e) {
    Result r = Result::sys_failure(static_cast<Error>(e), "prctl(PR_CAP_AMBIENT_CLEAR_ALL)", -EDESTADDRREQ);
    EXPECT_LT(format_error(r.with_cap(22), buf, sizeof buf), kErrorTextMax) << e;
    r = Result::failure(static_cast<Error>(e), 0, 22).with_what("/proc/sys/kernel/cap_last_cap");
    EXPECT_LT(format_error(r, buf, sizeof buf), kErrorTextMax) << e;
  }
}

// snprintf semantics at every buffer size, for every formatter: the needed
// length is returned, a NUL-terminated prefix is written, and nothing past
// `size` is touched.
TEST(Format, TruncationIsReportedAtEverySize) {
  State s = test::kStatusState;
  State v;
  v[Set::permitted] = CapSet{(1ull << 21) | (1ull << 12)};
  std::function<size_t(char*, size_t)> formatters[] = {
      [&](char* b, size_t n) { return format_json(7, s, b, n); },
      [&](char* b, size_t n) { return format_show(s, b, n); },
      [&](char* b, size_t n) { return format_list(s[Set::bounding], b, n); },
      [&](char* b, size_t n) { return format_decode(s[Set::bounding], b, n); },
      [&](char* b, size_t n) {
        return format_error(Result::sys_failure(Error::bounding_drop, "prctl", -EPERM).with_cap(21), b, n);
      },
      [&](char* b, size_t n) { return format_violation(v, CapSet{1ull << 10}, b, n); },
      [&](char* b, size_t n) {
        return format_error(Result::sys_failure(Error::open, std::string(4000, 'x').c_str(), -ENOENT), b, n);
      },
  };
  for (auto& format : formatters) {
    std::string full = text(format);
    ASSERT_FALSE(full.empty());
    for (size_t size = 0; size <= full.size() + 1; ++size) {
      std::string buf(full.size() + 8, '#');
      size_t n = format(buf.data(), size);
      ASSERT_EQ(n, full.size()) << full << " in " << size;
      size_t kept = size == 0 ? 0 : std::min(size - 1, full.size());
      if (size > 0) {
        EXPECT_EQ(buf.substr(0, kept), full.substr(0, kept)) << size;
        EXPECT_EQ(buf[kept], '\0') << size;
      }
      EXPECT_EQ(buf.substr(size), std::string(buf.size() - size, '#')) << size;
    }
  }
}

// parse(format(x)) == x: lists, decode lines and status text, for every
// single bit and many random sets.
TEST(Format, ParseOfFormatIsIdentity) {
  std::mt19937_64 random(42);
  std::vector<uint64_t> masks = {0, ~0ull, 0x1ffffffffff};
  for (int bit = 0; bit < 64; ++bit) masks.push_back(1ull << bit);
  for (int i = 0; i < 5000; ++i) masks.push_back(random() & random());
  char buf[kFormatMax];
  for (uint64_t m : masks) {
    size_t n = format_list(CapSet{m}, buf, sizeof buf);
    CapSet back{7};
    Word bad;
    ASSERT_TRUE(parse_cap_list(buf, n, &back, &bad).ok()) << buf;
    EXPECT_EQ(back.bits, m) << buf;
    n = format_decode(CapSet{m}, buf, sizeof buf);
    uint64_t hex = 7;
    ASSERT_TRUE(parse_hex(buf, 18, &hex).ok()) << buf;
    EXPECT_EQ(hex, m);
  }
  for (int i = 0; i < 1000; ++i) {
    State s;
    for (CapSet& c : s.sets) c.bits = random();
    std::string text = "Name:\tx\n";
    for (int k = 0; k < kSetCount; ++k) {
      char line[64];
      snprintf(line, sizeof line, "%s:\t%016llx\n", "CapInh\0CapPrm\0CapEff\0CapBnd\0CapAmb" + 7 * k,
               static_cast<unsigned long long>(s.sets[k].bits));
      text += line;
    }
    State back;
    ASSERT_TRUE(parse_status(text.data(), text.size(), &back).ok()) << text;
    EXPECT_EQ(back, s);
  }
}

// `capguard list`: number, name in a column of 24, and whether the running
// kernel has it; a kernel newer than the table adds numbers alone.
TEST(Format, CapTable) {
  std::string table = text([](char* b, size_t n) { return format_cap_table(41, b, n); });
  EXPECT_EQ(table.substr(0, 32), "0   cap_chown               yes\n");
  EXPECT_EQ(table.substr(32 * 9, 64), "9   cap_linux_immutable     yes\n10  cap_net_bind_service    yes\n");
  EXPECT_EQ(table.substr(table.size() - 64),
            "40  cap_checkpoint_restore  yes\n"
            "41  41                      yes\n");
  table = text([](char* b, size_t n) { return format_cap_table(39, b, n); });
  EXPECT_EQ(table.substr(table.size() - 31), "40  cap_checkpoint_restore  no\n");
}

std::string error(Result r) {
  return text([&](char* b, size_t n) { return format_error(r, b, n); });
}

Result sys(Error e, const char* what, int errnum) { return Result::sys_failure(e, what, -errnum); }

TEST(Format, Errors) {
  EXPECT_EQ(error(sys(Error::read_caps, "capget", EPERM)), "capget: cannot read the capability sets: EPERM (errno 1)");
  EXPECT_EQ(error(sys(Error::open, "/proc/self/status", ENOENT)), "/proc/self/status: cannot open: ENOENT (errno 2)");
  EXPECT_EQ(error(sys(Error::read, "/etc/passwd", EISDIR)), "/etc/passwd: cannot read: EISDIR (errno 21)");
  EXPECT_EQ(error(Result::failure(Error::status_missing_line, 4).with_what("status text")),
            "status text: line missing (ambient)");
  EXPECT_EQ(error(sys(Error::read_bounding, "prctl(PR_CAPBSET_READ)", 200)),
            "prctl(PR_CAPBSET_READ): cannot read the bounding set: (errno 200)");
  EXPECT_EQ(error(Result::failure(Error::bad_hex)), "not a 64-bit hex value");
  EXPECT_EQ(error(sys(Error::bounding_drop, "prctl(PR_CAPBSET_DROP)", EPERM).with_cap(21)),
            "prctl(PR_CAPBSET_DROP): cannot drop from the bounding set (cap_sys_admin): EPERM (errno 1); needs "
            "cap_setpcap");
  EXPECT_EQ(error(sys(Error::setuid, "setresuid", EINVAL)), "setresuid: cannot set the uid: EINVAL (errno 22)");
  EXPECT_EQ(error(Result::failure(Error::verify_caps, 4, 41)),
            "verify: capability set differs from the plan (ambient: 41)");
  // A set or capability out of range is not named (5 sets, 64 bits).
  EXPECT_EQ(error(Result::failure(Error::verify_caps, 5, 64)), "verify: capability set differs from the plan");
  EXPECT_EQ(error(Result::failure(Error::verify_caps, 0, 63)),
            "verify: capability set differs from the plan (inheritable: 63)");
}

// A `what` too long for kErrorTextMax keeps its start and end; the message
// and errno stay whole, for every error.
TEST(Format, ErrorShortensALongPathInTheMiddle) {
  std::string path = "/start" + std::string(3986, 'x') + "/the-end";
  ASSERT_EQ(path.size(), 4000u);
  std::string text = error(sys(Error::open, path.c_str(), ENOENT));
  EXPECT_EQ(text, "/start" + std::string(104, 'x') + "..." + std::string(103, 'x') +
                      "/the-end: cannot open: ENOENT (errno 2)");
  EXPECT_EQ(text.size(), kErrorTextMax - 1);
  // A message one byte longer leaves an even room: the halves are equal.
  EXPECT_EQ(
      error(sys(Error::open, path.c_str(), EACCES)),
      "/start" + std::string(104, 'x') + "..." + std::string(102, 'x') + "/the-end: cannot open: EACCES (errno 13)");
  // 224 bytes fit beside that message and errno; 225 do not.
  EXPECT_EQ(error(sys(Error::open, std::string(224, 'a').c_str(), ENOENT)),
            std::string(224, 'a') + ": cannot open: ENOENT (errno 2)");
  EXPECT_EQ(error(sys(Error::open, std::string(225, 'a').c_str(), ENOENT)),
            std::string(110, 'a') + "..." + std::string(111, 'a') + ": cannot open: ENOENT (errno 2)");
  for (int e = 0; e < error_count(); ++e) {
    for (int errnum : {EPERM, EDESTADDRREQ}) {  // "; needs ...", the longest errno name
      Result r = sys(static_cast<Error>(e), path.c_str(), errnum).with_cap(22);
      std::string rest = error(r.with_what("/x")).substr(2);
      text = error(r);
      EXPECT_LT(text.size(), kErrorTextMax) << e;
      EXPECT_EQ(text.substr(0, 6), "/start") << e;
      EXPECT_EQ(text.substr(text.size() - rest.size() - 8), "/the-end" + rest) << e;
    }
  }
}

// Every error's message, each its own: a table and an enum that drifted
// apart would fail here.
TEST(Format, EveryErrorHasItsOwnMessage) {
  const char* want[] = {
      "ok",
      "capability outside the allowlist",
      "not supported on this system",
      "unknown capability",
      "unknown capability set",
      "not a 64-bit hex value",
      "file capabilities: not the length of their revision",
      "file capabilities: not revision 1, 2 or 3",
      "file capabilities: a flag other than effective",
      "line missing",
      "value is not hex",
      "value has over 16 digits",
      "value is empty",
      "line appears twice",
      "text ends inside a line",
      "no Threads line",
      "cannot open",
      "cannot read",
      "cannot write the output",
      "cannot read the file's mode",
      "cannot read the file capabilities",
      "cannot read the mount flags",
      "no longer returned: scan follows a symlink given as PATH",
      "proc or sysfs: not scanned",
      "cannot read the file system type",
      "deeper than the 256 levels scan walks",
      "cannot read the capability sets",
      "cannot read the bounding set",
      "cannot read the ambient set",
      "command not found",
      "command not executable",
      "cannot execute command",
      "cannot ask if the effective ids may execute it",
      "cannot read it to tell what it runs",
      "replaced while being checked",
      "cannot tell if its rootid is an ancestor namespace's root",
      "more #! words than capguard has room for",
      "not an ELF file or a #! script: binfmt_misc's choice of interpreter is not predicted",
      "set-uid or set-gid, and run by another user: refusing to run a program (chmod u-s,g-s)",
      "no such user",
      "no such group",
      "no entry gives its group; write UID:GID",
      "not USER, UID, USER:GROUP or UID:GID",
      "more supplementary groups than capguard sets (256)",
      "entry too long to read its name and home directory",
      "plan: ids out of range, a uid switch without a gid, or over 256 groups",
      "the process has other threads, whose credentials would not change",
      "cannot read the ids",
      "cannot read the securebits",
      "cannot keep a capability that is not permitted",
      "cannot keep a capability outside the bounding set",
      "set by the caller, this securebit forbids a step; capguard never clears it",
      "cannot raise the effective set to the permitted one",
      "cannot drop from the bounding set",
      "cannot set the securebits",
      "cannot set keep_caps",
      "cannot set the groups",
      "cannot set the gid",
      "cannot set the uid",
      "cannot set the capability sets",
      "cannot set the ambient set",
      "cannot set no_new_privs",
      "cannot read the groups",
      "cannot read no_new_privs",
      "verify: capability set differs from the plan",
      "verify: uid or gid differs from the plan",
      "verify: supplementary groups differ from the plan",
      "verify: no_new_privs or securebits differ from the plan",
      "cannot make the report pipe",
      "cannot set the signal mask",
      "cannot start the child",
      "cannot read the child's report",
      "cannot become a subreaper",
      "cannot wait for the child",
      "not procfs: what is mounted there is not read",
  };
  ASSERT_EQ(error_count(), static_cast<int>(sizeof want / sizeof want[0]));
  std::set<std::string> seen;
  for (int e = 0; e < error_count(); ++e) {
    EXPECT_STREQ(error_message(static_cast<Error>(e)), want[e]) << e;
    EXPECT_TRUE(seen.insert(want[e]).second) << want[e];
  }
  EXPECT_STREQ(error_message(static_cast<Error>(error_count())), "unknown error");
  EXPECT_STREQ(error_message(static_cast<Error>(255)), "unknown error");
}

// The steps whose EPERM means a missing capability say which.
TEST(Format, EpermNamesTheCapabilityAStepNeeds) {
  for (int e = 0; e < error_count(); ++e) {
    const char* needs = error_needs(static_cast<Error>(e));
    switch (static_cast<Error>(e)) {
      case Error::bounding_drop:
      case Error::securebits:
        EXPECT_STREQ(needs, "cap_setpcap");
        break;
      case Error::setgroups:
        EXPECT_STREQ(needs, "cap_setgid (in a user namespace, also setgroups allow)");
        break;
      case Error::setgid:
        EXPECT_STREQ(needs, "cap_setgid");
        break;
      case Error::setuid:
        EXPECT_STREQ(needs, "cap_setuid");
        break;
      default:
        EXPECT_EQ(needs, nullptr) << e;
    }
  }
  EXPECT_EQ(error(sys(Error::setgid, "setresgid", EPERM)),
            "setresgid: cannot set the gid: EPERM (errno 1); needs cap_setgid");
  EXPECT_EQ(error(sys(Error::setgid, "setresgid", EINVAL)), "setresgid: cannot set the gid: EINVAL (errno 22)");
}

// Every errno the man pages list for the calls capguard makes has its name.
TEST(Format, EveryListedErrnoHasItsName) {
  // clang-format off
  const std::pair<int, const char*> names[] = {
      {EPERM, "EPERM"},     {ENOENT, "ENOENT"},   {ESRCH, "ESRCH"},         {EINTR, "EINTR"},
      {EIO, "EIO"},         {ENXIO, "ENXIO"},     {E2BIG, "E2BIG"},         {ENOEXEC, "ENOEXEC"},
      {EBADF, "EBADF"},     {ECHILD, "ECHILD"},   {EAGAIN, "EAGAIN"},       {ENOMEM, "ENOMEM"},
      {EACCES, "EACCES"},   {EFAULT, "EFAULT"},   {EBUSY, "EBUSY"},         {EEXIST, "EEXIST"},
      {ENODEV, "ENODEV"},   {ENOTDIR, "ENOTDIR"}, {EISDIR, "EISDIR"},       {EINVAL, "EINVAL"},
      {ENFILE, "ENFILE"},   {EMFILE, "EMFILE"},   {ETXTBSY, "ETXTBSY"},     {EFBIG, "EFBIG"},
      {ENOSPC, "ENOSPC"},   {EROFS, "EROFS"},     {EPIPE, "EPIPE"},         {ERANGE, "ERANGE"},
      {ENOSYS, "ENOSYS"},   {ELOOP, "ELOOP"},     {ENODATA, "ENODATA"},     {ELIBBAD, "ELIBBAD"},
      {EDQUOT, "EDQUOT"},   {EOVERFLOW, "EOVERFLOW"}, {EOPNOTSUPP, "EOPNOTSUPP"},
      {ENAMETOOLONG, "ENAMETOOLONG"}, {EDESTADDRREQ, "EDESTADDRREQ"},
  };
  // clang-format on
  for (auto [value, name] : names)
    EXPECT_EQ(error(sys(Error::read, "f", value)),
              std::string("f: cannot read: ") + name + " (errno " + std::to_string(value) + ")");
}

// libcap's text forms, each as getcap printed it (test/cli_file_test.sh
// compares them over random values).
constexpr uint64_t kKnown = (uint64_t{1} << 41) - 1;  // capabilities 0..40

TEST(Format, GetcapText) {
  auto getcap = [](uint64_t p, uint64_t i, bool e) {
    char buf[kFormatMax];
    FileCaps f;
    f.revision = 2, f.permitted = CapSet{p}, f.inheritable = CapSet{i}, f.effective = e;
    EXPECT_LT(format_getcap(f, 40, buf, sizeof buf), sizeof buf);
    return std::string(buf);
  };
  EXPECT_EQ(getcap(1 << 13, 0, true), "cap_net_raw=ep");
  EXPECT_EQ(getcap(0, 0, false), "=");
  EXPECT_EQ(getcap(kKnown, 0, true), "=ep");
  EXPECT_EQ(getcap(0, kKnown, false), "=i");
  EXPECT_EQ(getcap(1 | 1 << 5, 1 | 1 << 5 | 1 << 13, true), "cap_chown,cap_kill=eip cap_net_raw+ei");
  EXPECT_EQ(getcap(kKnown & ~uint64_t{1}, 1 << 5, false), "=p cap_kill+i cap_chown-p");
  EXPECT_EQ(getcap(uint64_t{1} << 40, 0, false), "cap_checkpoint_restore=p");
  EXPECT_EQ(getcap(uint64_t{1} << 41, uint64_t{1} << 41, false), "= 41+ip");
  EXPECT_EQ(getcap(1 << 13 | uint64_t{1} << 41, 0, true), "cap_net_raw=ep 41+ep");
  // A tie between p and i (20 bits each): the lower state, p, is the base.
  EXPECT_EQ(getcap(0xfffff, 0xfffff00000, false),
            "=p cap_sys_pacct,cap_sys_admin,cap_sys_boot,cap_sys_nice,cap_sys_resource,cap_sys_time,"
            "cap_sys_tty_config,cap_mknod,cap_lease,cap_audit_write,cap_audit_control,cap_setfcap,cap_mac_override,"
            "cap_mac_admin,cap_syslog,cap_wake_alarm,cap_block_suspend,cap_audit_read,cap_perfmon,cap_bpf+i-p "
            "cap_checkpoint_restore-p");
}

}  // namespace
}  // namespace capguard
