/** The query pipeline: dispatch by opcode, routing to the served zones or recursion, failure handling. */
package dev.namu.server.pipeline;
