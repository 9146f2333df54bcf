// Reads a /proc/<pid>/status file from outside capguard, without its parser:
// the oracle the tests compare capguard's answers with.
#ifndef CAPGUARD_TEST_PROC_STATUS_H_
#define CAPGUARD_TEST_PROC_STATUS_H_

#include <fstream>
#include <sstream>
#include <string>

#include "capguard/capset.h"

namespace capguard::test {

// The whole file at `path`; "" when it cannot be read.
inline std::string slurp(const std::string& path) {
  std::ifstream f(path);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

// The lines of status text the tests look at.
struct ProcStatus {
  State caps;
  int cap_lines = 0;  // how many of the five Cap lines were found
  int no_new_privs = -1;
  std::string uid, gid, groups;  // as written, tabs and all
};

inline ProcStatus parse_proc_status(const std::string& text) {
  std::istringstream in(text);
  const char* keys[] = {"CapInh:", "CapPrm:", "CapEff:", "CapBnd:", "CapAmb:"};
  ProcStatus s;
  for (std::string line; std::getline(in, line);) {
    std::string key = line.substr(0, line.find('\t'));
    std::string value = line.substr(line.find('\t') + 1);
    for (int i = 0; i < kSetCount; ++i)
      if (key == keys[i]) {
        s.caps.sets[i].bits = std::stoull(value, nullptr, 16);
        ++s.cap_lines;
      }
    if (key == "NoNewPrivs:") s.no_new_privs = std::stoi(value);
    if (key == "Uid:") s.uid = value;
    if (key == "Gid:") s.gid = value;
    if (key == "Groups:") s.groups = value;
  }
  return s;
}

}  // namespace capguard::test

#endif  // CAPGUARD_TEST_PROC_STATUS_H_
