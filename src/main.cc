#include "cli.h"

int main(int argc, char** argv) { return capguard::cli_main(argc, argv); }
