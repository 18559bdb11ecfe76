/** Zone transfers out (AXFR, IXFR) and NOTIFY out: who may transfer, what is sent, whom to tell. */
package dev.namu.server.transfer;
