// The C++ peer of `cema bench binding`: the same small ResNet as ResNetSpec.BindingBench
// (src/Cema.Models/Networks), written directly against LibTorch's C++ API and timed the same way.
// Built twice: as libbinding_bench.so, which the C# harness loads to interleave C++ and C# repetitions
// in one process, and as the standalone binding_bench executable.
#include <torch/torch.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>

namespace {

struct BasicBlockImpl : torch::nn::Module {
  torch::nn::Conv2d conv1{nullptr}, conv2{nullptr};
  torch::nn::BatchNorm2d bn1{nullptr}, bn2{nullptr};
  torch::nn::Sequential downsample{nullptr};

  BasicBlockImpl(int64_t in, int64_t out, int64_t stride) {
    conv1 = register_module("conv1", torch::nn::Conv2d(torch::nn::Conv2dOptions(in, out, 3).stride(stride).padding(1).bias(false)));
    bn1 = register_module("bn1", torch::nn::BatchNorm2d(out));
    conv2 = register_module("conv2", torch::nn::Conv2d(torch::nn::Conv2dOptions(out, out, 3).padding(1).bias(false)));
    bn2 = register_module("bn2", torch::nn::BatchNorm2d(out));
    if (stride != 1 || in != out) {
      downsample = register_module("downsample", torch::nn::Sequential(
          torch::nn::Conv2d(torch::nn::Conv2dOptions(in, out, 1).stride(stride).bias(false)),
          torch::nn::BatchNorm2d(out)));
    }
  }

  // torchvision's order of operations, in-place where torchvision is.
  torch::Tensor forward(const torch::Tensor& x) {
    auto y = bn1(conv1(x)).relu_();
    y = bn2(conv2(y));
    y += downsample ? downsample->forward(x) : x;
    return y.relu_();
  }
};
TORCH_MODULE(BasicBlock);

// 3 stages (16, 32, 64 channels), one block each, BatchNorm, 28x28x1 input, 10 classes.
struct ResNetImpl : torch::nn::Module {
  torch::nn::Conv2d stem{nullptr};
  torch::nn::BatchNorm2d bn{nullptr};
  BasicBlock layer1{nullptr}, layer2{nullptr}, layer3{nullptr};
  torch::nn::Linear fc{nullptr};

  ResNetImpl() {
    stem = register_module("conv1", torch::nn::Conv2d(torch::nn::Conv2dOptions(1, 16, 3).padding(1).bias(false)));
    bn = register_module("bn1", torch::nn::BatchNorm2d(16));
    layer1 = register_module("layer1", BasicBlock(16, 16, 1));
    layer2 = register_module("layer2", BasicBlock(16, 32, 2));
    layer3 = register_module("layer3", BasicBlock(32, 64, 2));
    fc = register_module("fc", torch::nn::Linear(64, 10));
  }

  torch::Tensor forward(const torch::Tensor& x) {
    auto y = bn(stem(x)).relu_();
    y = layer3(layer2(layer1(y)));
    y = torch::adaptive_avg_pool2d(y, {1, 1}).flatten(1);
    return fc(y);
  }
};
TORCH_MODULE(ResNet);

double now_ms() {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// The benchmark state behind the C entry points below.
struct Bench {
  ResNet net;
  torch::Tensor x, y;
  torch::optim::SGD opt;

  Bench(int64_t batch)
      : x(torch::randn({batch, 1, 28, 28})),
        y(torch::randint(0, 10, {batch}, torch::kLong)),
        opt(net->parameters(), torch::optim::SGDOptions(0.01).momentum(0.9)) {}

  void forward() {
    torch::NoGradGuard guard;
    net->eval();
    net->forward(x);
  }

  void train_step() {
    net->train();
    opt.zero_grad();
    auto loss = torch::nn::functional::cross_entropy(net->forward(x), y);
    loss.backward();
    opt.step();
  }

  double time(bool is_forward, int iterations) {
    double t0 = now_ms();
    for (int i = 0; i < iterations; ++i) {
      if (is_forward) forward(); else train_step();
    }
    return (now_ms() - t0) / iterations;
  }
};

}  // namespace

// C entry points, so that the C# harness can run this peer in its own process and thread: the
// comparison then differs only in the API used (C++ vs Cema.Torch), not in the process, the
// allocator or the OpenMP pool. They return a negative number on failure.
extern "C" {
__attribute__((visibility("default"))) void* binding_bench_new(int threads, int batch, int64_t seed) {
  try {
    torch::set_num_threads(threads);
    torch::manual_seed(seed);
    return new Bench(batch);
  } catch (...) {
    return nullptr;
  }
}

__attribute__((visibility("default"))) double binding_bench_time(void* bench, int is_forward, int iterations) {
  try {
    return static_cast<Bench*>(bench)->time(is_forward != 0, iterations);
  } catch (...) {
    return -1;
  }
}

__attribute__((visibility("default"))) void binding_bench_free(void* bench) { delete static_cast<Bench*>(bench); }
}

#ifdef BINDING_BENCH_MAIN
// Standalone: binding_bench [--threads N] [--batch B] [--seed S] [--iters N]
// prints the per-iteration milliseconds of forward and train step.
int main(int argc, char** argv) {
  int threads = 1, batch = 64, iters = 20;
  long seed = 0;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string k = argv[i];
    long v = std::atol(argv[i + 1]);
    if (k == "--threads") threads = static_cast<int>(v);
    else if (k == "--batch") batch = static_cast<int>(v);
    else if (k == "--seed") seed = v;
    else if (k == "--iters") iters = static_cast<int>(v);
    else { std::fprintf(stderr, "unknown option %s\n", k.c_str()); return 2; }
  }
  void* bench = binding_bench_new(threads, batch, seed);
  if (bench == nullptr) return 1;
  binding_bench_time(bench, 1, iters);
  std::printf("forward_ms %.4f\n", binding_bench_time(bench, 1, iters));
  binding_bench_time(bench, 0, iters);
  std::printf("train_ms %.4f\n", binding_bench_time(bench, 0, iters));
  binding_bench_free(bench);
  return 0;
}
#endif
