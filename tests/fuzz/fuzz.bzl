"""coalition_fuzz_target: one libFuzzer target, also a replay test under the ordinary build.

For NAME it defines
  NAME_lib   the LLVMFuzzerTestOneInput (alwayslink),
  NAME       a binary: under --config=fuzz a libFuzzer binary (clang-14, -fsanitize=fuzzer);
             otherwise the replay driver (replay_main.cc) over files given as arguments;
  NAME_test  runs NAME once over every seed in `corpus` (`bazel test //...` exercises it).
"""

def coalition_fuzz_target(name, srcs, deps, corpus, copts = [], replay_args = []):
    native.cc_library(
        name = name + "_lib",
        testonly = True,
        srcs = srcs,
        copts = copts,
        deps = deps,
        alwayslink = True,
    )
    native.cc_binary(
        name = name,
        testonly = True,
        deps = [":" + name + "_lib"] + select({
            "//tests/fuzz:fuzzing": [],
            "//conditions:default": ["//tests/fuzz:replay_main"],
        }),
        linkopts = select({
            "//tests/fuzz:fuzzing": ["-fsanitize=fuzzer"],
            "//conditions:default": [],
        }),
    )
    native.sh_test(
        name = name + "_test",
        size = "medium",
        srcs = ["//tests/fuzz:replay_test.sh"],
        args = ["$(location :" + name + ")"] + select({
            "//tests/fuzz:fuzzing": [],
            "//conditions:default": replay_args,
        }) + ["$(locations " + c + ")" for c in corpus],
        data = [":" + name] + corpus,
    )
