/** namuctl's client of the admin HTTP API: connection options, requests, errors and output. */
package dev.namu.cli.client;
