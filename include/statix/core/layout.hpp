#pragma once

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace statix {

// Host-side bookkeeping while a model is built: which slot of the workspace
// holds which variable, and how much room the intermediate nodes need.
class slot_layout {
public:
  struct entry {
    std::string name;
    int offset;
    int size;
    int unconstrained_offset = -1; // a free variable's place in the unconstrained vector
  };

  int allocate(int n) {
    const int offset = total_;
    total_ += n;
    return offset;
  }

  int add_variable(std::string_view name, int n) {
    const int offset = allocate(n);
    entries_.push_back({std::string(name), offset, n});
    return offset;
  }

  void set_unconstrained_offset(std::string_view name, int offset) {
    for (auto& e : entries_)
      if (e.name == name) e.unconstrained_offset = offset;
  }

  const entry& find(std::string_view name) const {
    for (const auto& e : entries_)
      if (e.name == name) return e;
    throw std::logic_error("statix: variable \"" + std::string(name) +
                           "\" is used before it is evaluated");
  }

  int total() const { return total_; }

private:
  std::vector<entry> entries_;
  int total_ = 0;
};

} // namespace statix
