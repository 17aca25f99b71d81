#pragma once
// The maplex subcommands. Each takes argv with argv[0] = "maplex <name>" and returns the exit code;
// bad input is thrown (InputError, UsageError) and reported by main.

namespace maplex::cli {

int run_space(int argc, char** argv);
int run_devices(int argc, char** argv);
int run_arch(int argc, char** argv);
int run_plan(int argc, char** argv);
int run_predict(int argc, char** argv);
int run_evaluate(int argc, char** argv);
int run_search(int argc, char** argv);
int run_resume(int argc, char** argv);
int run_optimum(int argc, char** argv);
int run_pareto(int argc, char** argv);
int run_compare(int argc, char** argv);
int run_measure(int argc, char** argv);
int run_export(int argc, char** argv);
int run_profile(int argc, char** argv);
int run_report(int argc, char** argv);
int run_merge(int argc, char** argv);

}  // namespace maplex::cli
