{
  "targets": [
    {
      "target_name": "stem_native",
      "sources": ["src/native/stem_native.cc"],
      "cflags_cc": ["-O3", "-std=c++17", "-pthread", "-fno-math-errno", "-ffp-contract=off"],
      "include_dirs": ["/usr/include/openblas", "/usr/include/x86_64-linux-gnu/openblas-pthread", "/usr/include/aarch64-linux-gnu/openblas-pthread"],
      "libraries": ["-lopenblas", "-pthread"],
      "defines": ["NAPI_VERSION=8"]
    }
  ]
}
