/** JMH microbenchmarks of the query path's hot steps (not tests: run from benchmarks.jar). */
package dev.namu.perf;
