// Linear-algebra types shared by every layer.
#pragma once

#include <Eigen/Core>

namespace clipsim {

using Vector = Eigen::VectorXd;

// A batch of per-sample vectors, one sample per row (n x d). Row-major so that each sample's
// gradient is contiguous: per-sample norms and the weighted sum over samples read memory in order.
using Batch = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

}  // namespace clipsim
