#pragma once

#include "statix/base/macros.hpp"

#include <thrust/copy.h>
#include <thrust/device_vector.h>

#include <deque>
#include <memory>
#include <vector>

namespace statix::parallel {

// A model as the device system's code sees it. For the CPU device systems
// (OpenMP, TBB, serial C++) that is the host model itself. For CUDA it is a
// copy whose data arrays were copied to device memory and whose pointers were
// rebound to them, placed byte for byte in device memory: evaluation reads
// only the node trees' numbers and raw pointers, never the host-side owners.
template <class Model>
class device_model {
public:
  explicit device_model(const Model& model) : host_(std::make_shared<Model>(model)) {
#if THRUST_DEVICE_SYSTEM == THRUST_DEVICE_SYSTEM_CUDA
    host_->rebind_data([this](const auto* pointer, int count) {
      using value_type = std::remove_cv_t<std::remove_pointer_t<decltype(pointer)>>;
      if constexpr (std::is_same_v<value_type, int>) {
        int_arrays_.emplace_back(pointer, pointer + count);
        return static_cast<const int*>(thrust::raw_pointer_cast(int_arrays_.back().data()));
      } else {
        real_arrays_.emplace_back(pointer, pointer + count);
        return static_cast<const double*>(thrust::raw_pointer_cast(real_arrays_.back().data()));
      }
    });
    const auto* bytes = reinterpret_cast<const unsigned char*>(host_.get());
    image_.assign(bytes, bytes + sizeof(Model));
#endif
  }

  // Where functors running on the device system find the model.
  const Model* get() const {
#if THRUST_DEVICE_SYSTEM == THRUST_DEVICE_SYSTEM_CUDA
    return reinterpret_cast<const Model*>(thrust::raw_pointer_cast(image_.data()));
#else
    return host_.get();
#endif
  }

  const Model& host() const {
    return *host_;
  }

private:
  std::shared_ptr<Model> host_;
#if THRUST_DEVICE_SYSTEM == THRUST_DEVICE_SYSTEM_CUDA
  // Deques: adding an array never moves the others (a std::vector would
  // copy its device vectors on growth, their move not being noexcept, and
  // free the arrays the model's pointers were rebound to).
  std::deque<thrust::device_vector<double>> real_arrays_;
  std::deque<thrust::device_vector<int>> int_arrays_;
  thrust::device_vector<unsigned char> image_;
#endif
};

} // namespace statix::parallel
