// Template definitions for codec.h.
#pragma once

#include <cstring>

#include <kj/exception.h>

namespace regatta::protocol {

template <class T>
Result<Received<T>> Received<T>::Read(const Bytes& bytes, const char* what) {
  if (bytes.empty() || bytes.size() % sizeof(capnp::word) != 0) {
    return Status::Corruption(std::string(what) + ": not a whole number of words");
  }
  Received<T> out;
  out.words_ = kj::heapArray<capnp::word>(bytes.size() / sizeof(capnp::word));
  std::memcpy(out.words_.begin(), bytes.data(), bytes.size());
  try {
    out.reader_ = std::make_unique<capnp::FlatArrayMessageReader>(out.words_.asPtr());
    out.root_ = out.reader_->template getRoot<T>();
    (void)out.root_.totalSize();  // walk every pointer now, not later
  } catch (const kj::Exception& e) {
    return Status::Corruption(std::string(what) + ": " + e.getDescription().cStr());
  }
  return out;
}

}  // namespace regatta::protocol
