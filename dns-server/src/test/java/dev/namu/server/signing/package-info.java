/** Tests of the zones namud signs, through namuctl, the admin API, AXFR and the DNSSEC tools. */
package dev.namu.server.signing;
