// Raw noise norms ||xi|| saved by a sweep for the tail-index checks of the analysis: one file per
// distinct noise stream (problem dimension and noise law), drawn from a stream of its own so that
// saving them changes no run.
#pragma once

#include <string>

#include "clipsim/sweep/config.hpp"

namespace clipsim::sweep::detail {

// The id (16 hex digits) of the noise stream a cell's runs draw from.
std::string CellNoiseId(const SweepConfig& config, const Cell& cell);

// Draws and commits DIR/noise/<id>.csv for each distinct noise of the config that lacks one.
void WriteNoiseNormFiles(const SweepConfig& config, const std::string& dir);

// Joins them into DIR/noise_norms.csv (noise_stream,noise,dim,norm).
void WriteNoiseNormsTable(const SweepConfig& config, const std::string& dir);

}  // namespace clipsim::sweep::detail
